import { findServiceVersion, SERVICE_VERSIONS, UsiError } from '@usi/contract';
import { writeKeystore, type TestCa } from '@usi/keystore';
import { z } from 'zod';
import type { CounterSnapshot, RequestCounters } from '../faults/request-counters';
import type { FaultConfig } from '../faults/fault-config';
import type { FaultInjector } from '../faults/fault-injector';
import type { Notification } from '../registry/notification.store';
import type { Organisation } from '../registry/organisation.store';
import type { NewPerson, Person } from '../registry/person';
import type { Registry } from '../registry/registry';
import type { StsRequestLog, StsRequestRecord } from '../sts/sts-request-log';
import type { CredentialStatus, TrustStore } from '../trust/trust-store';
import { AdminError } from './admin.error';
import { credentialStatusInput, keystoreInput, notificationInput, organisationInput, peopleInput, serviceVersionInput } from './admin-schemas';

/** One web-service version the simulator serves, and whether it answers as outdated (ErrorInfo 3458). */
export interface ServiceVersionState {
  id: string;
  path: string;
  namespace: string;
  complete: boolean;
  outdated: boolean;
}

/** The simulator's control surface; the JSON API under /admin is a thin HTTP skin over these methods. */
export class SimulatorAdmin {
  constructor(
    private readonly deps: {
      registry: Registry;
      counters: RequestCounters;
      faults: FaultInjector;
      ca: TestCa;
      clock: () => Date;
      stsRequests: StsRequestLog;
      trust?: TrustStore;
      outdatedVersions?: Set<string>;
    },
  ) {}

  /** The versions served, each at its own path; an outdated one answers every request with ErrorInfo 3458. */
  serviceVersions(): ServiceVersionState[] {
    return SERVICE_VERSIONS.map((v) => ({
      id: v.id,
      path: v.endpointPath,
      namespace: v.namespace,
      complete: v.complete,
      outdated: this.deps.outdatedVersions?.has(v.id) ?? false,
    }));
  }

  setServiceVersion(id: string, input: unknown): ServiceVersionState {
    const { outdated } = parse(serviceVersionInput, input);
    if (!findServiceVersion(id) || !this.deps.outdatedVersions) throw new AdminError('admin.not_found', `no web-service version ${id}`);
    if (outdated) this.deps.outdatedVersions.add(id);
    else this.deps.outdatedVersions.delete(id);
    return this.serviceVersions().find((v) => v.id === id)!;
  }

  /** Credentials RAM has suspended or revoked (keystore alias `ABRD:<ABN>_<name>`); the STS refuses them. */
  credentialStatuses(): { credentialId: string; status: CredentialStatus }[] {
    return this.deps.trust?.listStatuses() ?? [];
  }

  setCredentialStatus(credentialId: string, input: unknown): { credentialId: string; status: CredentialStatus } {
    const { status } = parse(credentialStatusInput, input);
    if (!/^ABRD:\d{11}_.+$/.test(credentialId)) throw new AdminError('admin.bad_request', 'a credential id is ABRD:<ABN>_<name>');
    if (!this.deps.trust) throw new AdminError('admin.not_found', 'this simulator has no token service');
    this.deps.trust.setStatus(credentialId, status);
    return { credentialId, status };
  }

  addNotification(input: unknown): Notification {
    const n = parse(notificationInput, input);
    return this.deps.registry.notifications.add({
      vendorAbn: n.vendorAbn,
      providerAbn: n.providerAbn,
      softwareId: n.softwareId,
      startDate: n.startDate ?? this.deps.clock().toISOString().slice(0, 10),
      ...(n.endDate ? { endDate: n.endDate } : {}),
      status: n.status,
    });
  }

  revokeNotification(id: string): Notification {
    const revoked = this.deps.registry.notifications.revoke(id);
    if (!revoked) throw new AdminError('admin.not_found', `no notification ${id}`);
    return revoked;
  }

  listNotifications(): Notification[] {
    return this.deps.registry.notifications.list();
  }

  addOrganisation(input: unknown): Organisation {
    return this.deps.registry.organisations.add(parse(organisationInput, input));
  }

  /** One person or an array; returns the stored records (with any generated USI). */
  addPeople(input: unknown): Person[] {
    const parsed = parse(peopleInput, input);
    const people = (Array.isArray(parsed) ? parsed : [parsed]) as unknown as NewPerson[];
    return people.map((p) => storeError(() => this.deps.registry.people.add(p)));
  }

  counters(): CounterSnapshot {
    return this.deps.counters.snapshot();
  }

  resetCounters(): CounterSnapshot {
    this.deps.counters.reset();
    return this.deps.counters.snapshot();
  }

  /** The token requests the STS handled, oldest first: the credential that signed each and its ActAs (null when none). */
  stsRequests(): StsRequestRecord[] {
    return this.deps.stsRequests.list();
  }

  clearStsRequests(): void {
    this.deps.stsRequests.clear();
  }

  faults(): FaultConfig {
    return this.deps.faults.current();
  }

  setFaults(input: unknown): FaultConfig {
    return storeError(() => this.deps.faults.set(input));
  }

  clearFaults(): void {
    this.deps.faults.clear();
  }

  /** A keystore (credentialStore XML) holding one credential issued by the simulator's CA. */
  issueKeystore(input: unknown): string {
    const k = parse(keystoreInput, input);
    const credential = storeError(() =>
      this.deps.ca.issueMachineCredential({
        abn: k.abn,
        name: k.name,
        notBefore: k.notBefore ? new Date(k.notBefore) : new Date(this.deps.clock().getTime() - 60_000),
        ...(k.notAfter ? { notAfter: new Date(k.notAfter) } : {}),
      }),
    );
    return writeKeystore([{ abn: k.abn, name: k.name, chain: credential.chain, privateKey: credential.privateKey }], k.password);
  }
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw badRequest(result.error);
}

function badRequest(error: z.ZodError): AdminError {
  const first = error.issues[0];
  return new AdminError('admin.bad_request', `${first?.path.join('.') || 'body'}: ${first?.message ?? 'invalid'}`);
}

/** Store and validation errors from the registry, CA or fault schema become 400s with their own message. */
function storeError<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof z.ZodError) throw badRequest(error);
    if (error instanceof UsiError && !(error instanceof AdminError)) throw new AdminError('admin.bad_request', error.message);
    throw error;
  }
}
