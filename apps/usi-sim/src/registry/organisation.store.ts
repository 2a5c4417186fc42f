export type OrganisationKind = 'direct' | 'cloud' | 'vendor';

export interface Organisation {
  orgCode: string;
  abn: string;
  name: string;
  /** direct: calls with its own machine credential; cloud: reached through a vendor's ActAs token. */
  kind: OrganisationKind;
  /** The "System Access Request" has been approved; without it every web-service call fails authorisation. */
  webServiceAccess: boolean;
}

export class OrganisationStore {
  private readonly byCode = new Map<string, Organisation>();

  /** Org codes are matched case-insensitively, like the registry's lookups. */
  find(orgCode: string): Organisation | undefined {
    return this.byCode.get(orgCode.toUpperCase());
  }

  /** Adds or replaces the organisation with this org code. */
  add(org: Organisation): Organisation {
    const stored = { ...org, orgCode: org.orgCode.toUpperCase() };
    this.byCode.set(stored.orgCode, stored);
    return stored;
  }

  findByAbn(abn: string): Organisation[] {
    return this.list().filter((o) => o.abn === abn);
  }

  list(): Organisation[] {
    return [...this.byCode.values()];
  }
}
