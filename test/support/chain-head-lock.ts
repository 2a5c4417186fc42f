import { DataSource } from 'typeorm';

export interface ChainHeadLock {
  release(): Promise<void>;
}

/**
 * Holds an audit chain head's row lock from a session of its own until `release()`, as a long append of another
 * request would: every append to that chain waits in Postgres meanwhile. Taken as the owner, because row-level
 * security would hide the head from the app role.
 */
export async function lockChainHead(ownerUrl: string, chainId: string): Promise<ChainHeadLock> {
  const dataSource = await new DataSource({ type: 'postgres', url: ownerUrl, extra: { max: 1 } }).initialize();
  const runner = dataSource.createQueryRunner();
  await runner.startTransaction();
  const rows: unknown[] = await runner.query('select 1 from audit_chain_heads where chain_id = $1 for update', [chainId]);
  if (rows.length !== 1) throw new Error(`no audit chain head ${chainId} to lock`);
  return {
    release: async () => {
      await runner.rollbackTransaction();
      await runner.release();
      await dataSource.destroy();
    },
  };
}
