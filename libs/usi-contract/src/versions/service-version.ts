import type { OperationSchema } from '../schema/operation.schema';
import type { UsiOperation } from '../operations/usi-operation';

export type OperationSchemas = Readonly<Record<UsiOperation, OperationSchema>>;

/**
 * What one major version of the USI web service changes against v5, the version the schema tables
 * (`schema/*.schema.ts`) describe. v5's delta is empty.
 */
export interface SchemaDelta {
  /** The changes in words, for documentation and the status page, e.g. "DriversLicence gains optional CardNumber". */
  readonly changes: readonly string[];
  /** Rewrites v5's operation schemas into this version's; absent when the elements are v5's, element for element. */
  readonly apply?: (v5: OperationSchemas) => OperationSchemas;
}

/**
 * One major version of the USI web service as data: everything the codec, the client, the simulator and the gateway
 * need to speak it. A new version is one module exporting one of these (see `v5.ts`), added to `SERVICE_VERSIONS`.
 */
export interface UsiServiceVersion {
  /** `v5`: the value of USI_SERVICE_VERSION. */
  readonly id: string;
  /** As the WSDL documents it ("Version: 5.0"). */
  readonly label: string;
  /** Target namespace of every request and response body. */
  readonly namespace: string;
  /** Namespace of the ErrorInfo / ArrayOfErrorInfo fault detail. */
  readonly errorInfoNamespace: string;
  /** WS-Addressing / SOAP action of an operation is `actionPrefix + <Operation>` (`…Response` for the reply). */
  readonly actionPrefix: string;
  /** Path of the service on the registry host (the same on 3PT and production). */
  readonly endpointPath: string;
  readonly schemaDelta: SchemaDelta;
  /**
   * Complete: the WSDL is published and everything above was read from it. An incomplete version is a draft built
   * from partial evidence: the gateway refuses to use it against a real environment.
   */
  readonly complete: boolean;
  /** Where the facts above come from and what is unknown (one line each). */
  readonly evidence: readonly string[];
}
