import { Inject, Injectable } from '@nestjs/common';
import type { GetCountriesResponse, GetNonDvsDocumentTypesResponse } from '@usi/contract';
import { UsiError } from '@usi/contract';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.token';
import { UsiTarget } from '../access/organisation-access.service';
import { UsiService } from '../usi.service';
import { CacheState, ReferenceDataCache } from './reference-data.cache';

/** Outages, not refusals: an organisation the registry refuses must not be served from the cache after a miss. */
const OUTAGE_CODES = new Set(['upstream.timeout', 'upstream.unavailable', 'upstream.bad_response', 'upstream.http_error', 'usi.service_unavailable']);

@Injectable()
export class ReferenceDataService {
  private readonly cache: ReferenceDataCache;

  constructor(
    private readonly usi: UsiService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new ReferenceDataCache({
      ttlMs: config.usi.referenceTtlMs,
      serveStaleOn: (err) => err instanceof UsiError && OUTAGE_CODES.has(err.code),
    });
  }

  countries(target: UsiTarget): Promise<{ value: GetCountriesResponse; state: CacheState }> {
    return this.cache.get(`${this.usi.environment}:countries`, () =>
      this.usi.call('GetCountries', target, { orgCode: target.organisation.orgCode }),
    );
  }

  documentTypes(target: UsiTarget): Promise<{ value: GetNonDvsDocumentTypesResponse; state: CacheState }> {
    return this.cache.get(`${this.usi.environment}:document-types`, () =>
      this.usi.call('GetNonDvsDocumentTypes', target, { orgCode: target.organisation.orgCode }),
    );
  }
}
