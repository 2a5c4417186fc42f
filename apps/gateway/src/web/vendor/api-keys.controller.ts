import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiKeyService } from '../../auth/api-keys/api-key.service';
import { createApiKeySchema } from '../../auth/api-keys/api-key.types';
import { heldScopes } from '../../common/authorization/access-policy';
import { NotFoundError } from '../../common/errors/app-error';
import { API_SCOPES } from '../../common/request-context/principal';
import { fieldError, parseForm } from '../../providers/parse-form';
import { VendorConsoleRepository } from '../../vendor-console/vendor-console.repository';
import { canActForVendor, VENDOR_ACTORS, VENDOR_READERS, vendorScope } from '../../vendor-console/vendor-scope';
import { emptyForm, FormState, formValue } from '../forms/form-errors';
import { WebPageRenderer } from '../rendering/web-page.renderer';
import { CurrentWebUser } from '../session/current-web-user.decorator';
import { WebPage } from '../session/web-page.decorator';
import { WebRedirect } from '../session/web-redirect';
import type { WebUser } from '../session/web-user';
import { formValues, vendorFormState } from './vendor-form';

const FIELDS = ['name', 'scopes', 'organisationIds', 'expiresAt'] as const;

export const SCOPE_LABELS: Record<(typeof API_SCOPES)[number], string> = {
  'usi:verify': 'usi:verify: verify USIs',
  'usi:write': 'usi:write: create and update USIs',
  bulk: 'bulk: bulk verification jobs',
  'audit:read': 'audit:read: read the audit trail',
  admin: 'admin: manage the vendor (keys, organisations, credentials)',
};

/**
 * API keys: the list (prefix, scopes, last used, created by; never the key), creation (the key shown once, with a
 * copy button and a warning) and revocation (after a confirmation page). Through ApiKeyService's `createAs` and
 * `revokeAs`, so the access policy's rule 3 holds here as on the API: a key never carries more than its creator.
 */
@Controller('vendor/api-keys')
@WebPage({ roles: [...VENDOR_READERS] })
export class VendorApiKeysController {
  constructor(
    private readonly renderer: WebPageRenderer,
    private readonly keys: ApiKeyService,
    private readonly repository: VendorConsoleRepository,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, form: FormState = emptyForm({ scopes: 'usi:verify' }), status = 200): Promise<void> {
    const vendorId = vendorScope(user.principal);
    const [keys, providers] = await Promise.all([this.allKeys(user), this.repository.providers(vendorId)]);
    const creators = await this.repository.actorLabels(vendorId, keys.map((k) => k.createdBy));
    const orgCodes = new Map(providers.map((p) => [p.id, p.orgCode]));
    const held = heldScopes(user.principal);
    this.renderer.send(
      req,
      res,
      'vendor/api-keys',
      {
        title: 'API keys',
        section: 'api-keys',
        keys: keys.map((k) => ({
          ...k,
          createdByLabel: creators.get(k.createdBy) ?? k.createdBy,
          organisations: k.organisationIds ? k.organisationIds.map((id) => orgCodes.get(id) ?? id).join(', ') : 'All',
        })),
        providers,
        scopes: API_SCOPES.filter((s) => held.includes(s)).map((s) => ({ value: s, label: SCOPE_LABELS[s] })),
        chosenScopes: form.values.scopes ? form.values.scopes.split(',') : [],
        chosenOrganisations: form.values.organisationIds ? form.values.organisationIds.split(',') : [],
        canAct: canActForVendor(user.principal),
        notice: req.query.revoked === '1' ? 'The API key is revoked: calls with it are refused.' : undefined,
        form,
      },
      status,
    );
  }

  @Post()
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async create(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser): Promise<void> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS);
    const body = req.body as unknown;
    const scopes = formValues(body, 'scopes');
    const organisationIds = formValues(body, 'organisationIds').filter(Boolean);
    const expiry = formValue(body, 'expiresAt');
    const echo = { name: formValue(body, 'name'), scopes: scopes.join(','), organisationIds: organisationIds.join(','), expiresAt: expiry };
    try {
      if (expiry && !/^\d{4}-\d{2}-\d{2}$/.test(expiry)) throw fieldError('expiresAt', 'invalid_date', 'Enter a date like 2027-06-30');
      const input = parseForm(createApiKeySchema, {
        name: formValue(body, 'name'),
        scopes,
        organisationIds: organisationIds.length ? organisationIds : null,
        // The key works to the end of the chosen day (UTC).
        expiresAt: expiry ? `${expiry}T23:59:59Z` : null,
      });
      const created = await this.keys.createAs(user.principal, vendorId, input);
      res.setHeader('Cache-Control', 'no-store');
      this.renderer.send(req, res, 'vendor/api-key-created', { title: 'Your new API key', section: 'api-keys', key: created }, 201);
    } catch (err) {
      const form = vendorFormState(err, echo, FIELDS);
      if (!form) throw err;
      form.values = echo;
      return this.page(req, res, user, form, 422);
    }
  }

  @Get(':id/revoke')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async confirmRevoke(@Req() req: Request, @Res() res: Response, @CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<void> {
    vendorScope(user.principal, VENDOR_ACTORS);
    const key = (await this.allKeys(user)).find((k) => k.id === id);
    if (!key) throw new NotFoundError('api_key');
    this.renderer.send(req, res, 'vendor/api-key-revoke', { title: `Revoke ${key.name}?`, section: 'api-keys', key });
  }

  @Post(':id/revoke')
  @WebPage({ roles: [...VENDOR_ACTORS] })
  async revoke(@CurrentWebUser() user: WebUser, @Param('id') id: string): Promise<never> {
    const vendorId = vendorScope(user.principal, VENDOR_ACTORS);
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('api_key');
    await this.keys.revokeAs(user.principal, vendorId, id);
    throw new WebRedirect('/vendor/api-keys?revoked=1');
  }

  /** Every key the user could itself have issued (ApiKeyService.listFor), newest first. */
  private async allKeys(user: WebUser) {
    const vendorId = vendorScope(user.principal);
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await this.keys.listFor(user.principal, vendorId, { limit: 200, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all.reverse();
  }
}
