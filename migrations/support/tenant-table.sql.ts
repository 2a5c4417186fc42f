/**
 * Row-level security of a tenant table: rows are visible only when `app.vendor_id` (set per transaction by the
 * gateway) matches `column`, or in the explicit platform scope. FORCE makes the policy bind the table owner too.
 * Grants are not here: `migrate()` grants the configured application role DML on every table after each run.
 */
export function tenantTableSecuritySql(table: string, column = 'vendor_id'): string[] {
  return [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY ${table}_tenant_isolation ON ${table}
       USING (${column} = nullif(current_setting('app.vendor_id', true), '')::uuid
              OR current_setting('app.platform_scope', true) = 'on')
       WITH CHECK (${column} = nullif(current_setting('app.vendor_id', true), '')::uuid
              OR current_setting('app.platform_scope', true) = 'on')`,
  ];
}
