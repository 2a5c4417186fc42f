import { Client } from 'pg';
import { runMigrations } from 'bullmq';
import { QUEUE_SCHEMA } from './queue-backend';

/**
 * BullMQ's Postgres backend keeps its tables and functions in a schema of its own, versioned by BullMQ (not by our
 * TypeORM migrations). The owner creates or upgrades it here, in the same migration step. The application role gets
 * DML and EXECUTE, plus CREATE in this schema only: BullMQ creates one id sequence per queue the first time a job
 * without an explicit id is added. It has no CREATE in `public`, where the tenant tables are.
 */
export async function migrateQueueSchema(migrationUrl: string, appRole: string): Promise<void> {
  const client = new Client({ connectionString: migrationUrl });
  await client.connect();
  try {
    await runMigrations(client, QUEUE_SCHEMA);
    await client.query(`GRANT USAGE, CREATE ON SCHEMA ${QUEUE_SCHEMA} TO ${appRole}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${QUEUE_SCHEMA} TO ${appRole}`);
    await client.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${QUEUE_SCHEMA} TO ${appRole}`);
    await client.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${QUEUE_SCHEMA} TO ${appRole}`);
  } finally {
    await client.end();
  }
}
