import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UsiError } from '@usi/contract';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';

export interface ConnectionRole {
  name: string;
  superuser: boolean;
  bypassRls: boolean;
}

export class RlsBypassRoleError extends UsiError {
  constructor(role: ConnectionRole) {
    super(
      'database.rls_bypass_role',
      `Refusing to start: DATABASE_URL connects as role "${role.name}", which ${describe(role)}, so row-level security ` +
        'would not isolate tenants. Connect as the application role (DATABASE_APP_ROLE, created NOBYPASSRLS by the ' +
        'migrations) and keep the owner for DATABASE_MIGRATION_URL, or set ALLOW_RLS_BYPASS=true to start anyway.',
      { role: role.name, superuser: role.superuser, bypassRls: role.bypassRls },
    );
  }
}

function describe(role: ConnectionRole): string {
  return [role.superuser && 'is a superuser', role.bypassRls && 'has BYPASSRLS'].filter(Boolean).join(' and ');
}

/**
 * Tenant isolation rests on RLS as a second line behind the code-level scoping; a superuser or BYPASSRLS
 * connection silently removes that line, so the gateway will not start on one unless told to.
 */
@Injectable()
export class RlsRoleCheck implements OnModuleInit {
  private readonly logger = new Logger(RlsRoleCheck.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private checked?: Promise<void>;

  onModuleInit(): Promise<void> {
    return this.ensure();
  }

  /**
   * Runs the check once. Providers that read tables while the app is being built (the audit chain keyring) await it
   * first, so a bypassing role is refused with this error rather than whatever its first query meets.
   */
  ensure(): Promise<void> {
    this.checked ??= this.dataSource
      .query(`select rolname as name, rolsuper as superuser, rolbypassrls as "bypassRls" from pg_roles where rolname = current_user`)
      .then(([row]: ConnectionRole[]) => this.enforce(row));
    return this.checked;
  }

  enforce(role: ConnectionRole): void {
    if (!role.superuser && !role.bypassRls) return;
    if (!this.config.database.allowRlsBypass) throw new RlsBypassRoleError(role);
    this.logger.warn(
      `!!! ALLOW_RLS_BYPASS=true: connected as role "${role.name}", which ${describe(role)}. Row-level security is ` +
        'NOT enforced; tenant isolation relies on application code alone. Never run like this in production. !!!',
    );
  }
}
