import { UsiError } from '../errors/usi-error';
import { OPERATION_SCHEMAS } from '../schema/operation.schema';
import type { OperationSchemas, UsiServiceVersion } from './service-version';
import { V5 } from './v5';
import { V6_DRAFT } from './v6';

/** Every version this code base can describe, oldest first. Adding one: a module like `v5.ts`, listed here. */
export const SERVICE_VERSIONS: readonly UsiServiceVersion[] = [V5, V6_DRAFT];

export const DEFAULT_SERVICE_VERSION: UsiServiceVersion = V5;

export function findServiceVersion(id: string): UsiServiceVersion | undefined {
  return SERVICE_VERSIONS.find((v) => v.id === id);
}

/** The version with this id; `contract.unknown_version` names the known ones otherwise. */
export function serviceVersion(id: string): UsiServiceVersion {
  const found = findServiceVersion(id);
  if (!found) {
    throw new UsiError('contract.unknown_version', `Unknown USI web-service version ${id}; known: ${SERVICE_VERSIONS.map((v) => v.id).join(', ')}`);
  }
  return found;
}

/** The version whose body namespace this is (requests and responses of a version share one). */
export function serviceVersionByNamespace(namespace: string | null | undefined): UsiServiceVersion | undefined {
  return SERVICE_VERSIONS.find((v) => v.namespace === namespace);
}

const schemaCache = new WeakMap<UsiServiceVersion, OperationSchemas>();

/** v5's operation schemas with the version's delta applied (computed once per version). */
export function schemasFor(version: UsiServiceVersion = DEFAULT_SERVICE_VERSION): OperationSchemas {
  if (!version.schemaDelta.apply) return OPERATION_SCHEMAS;
  let schemas = schemaCache.get(version);
  if (!schemas) {
    schemas = version.schemaDelta.apply(OPERATION_SCHEMAS);
    schemaCache.set(version, schemas);
  }
  return schemas;
}
