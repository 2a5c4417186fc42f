import { DataSource } from 'typeorm';
import { RateLimitTakeCosts1796500000000 } from '../../../migrations/1796500000000-RateLimitTakeCosts';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

const TAKE3 = `select allowed, remaining from rate_limit_take(array['k3'], array[5], 60000)`;
const TAKE4 = `select allowed, remaining from rate_limit_take(array['k4'], array[5], 60000, array[3])`;

describe('migration RateLimitTakeCosts, down and up again', () => {
  let db: TestDatabase;
  let owner: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = await new DataSource({ type: 'postgres', url: db.ownerUrl, extra: { max: 1 } }).initialize();
  }, 60_000);
  afterAll(async () => {
    await owner?.destroy();
    await db?.drop();
  });

  it('goes back to the one-request function and forward to the costed one, as the application role can call it', async () => {
    const migration = new RateLimitTakeCosts1796500000000();
    const runner = owner.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await runner.query(TAKE3)).toEqual([{ allowed: true, remaining: [4] }]);
      await expect(runner.query(TAKE4)).rejects.toThrow(/does not exist/);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const app = await new DataSource({ type: 'postgres', url: db.appUrl, extra: { max: 1 } }).initialize();
    try {
      expect(await app.query(TAKE4)).toEqual([{ allowed: true, remaining: [2] }]);
      // the three-argument call still works (cost 1), on the bucket state kept across the migrations
      expect(await app.query(TAKE3)).toEqual([{ allowed: true, remaining: [3] }]);
    } finally {
      await app.destroy();
    }
  });
});
