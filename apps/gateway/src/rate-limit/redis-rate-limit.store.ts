import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { withTimeout } from '../common/with-timeout';
import { Bucket, RateDecision, RateLimitStore } from './rate-limit.types';

/**
 * GCRA over every bucket at once: KEYS are the buckets, ARGV[1] the window (ms), ARGV[i+1] bucket i's limit and
 * ARGV[#KEYS+i+1] the requests to charge it. A key holds the bucket's theoretical arrival time (ms, Redis clock) and
 * expires when the bucket is full again.
 * Returns {allowed, retryAfterMs, remaining1, resetMs1, remaining2, resetMs2, ...}.
 */
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local window = tonumber(ARGV[1])
local out = {1, 0}
local tats = {}
local retry = 0
for i = 1, #KEYS do
  local interval = window / tonumber(ARGV[i + 1])
  local charge = interval * tonumber(ARGV[#KEYS + i + 1])
  local tat = math.max(tonumber(redis.call('GET', KEYS[i]) or '0'), now)
  local allowAt = tat + charge - window
  if now < allowAt then
    retry = math.max(retry, allowAt - now)
    out[#out + 1] = 0
    out[#out + 1] = math.ceil(tat - now)
  else
    tats[i] = tat + charge
    out[#out + 1] = math.floor((window - (tats[i] - now)) / interval + 1e-9)
    out[#out + 1] = math.ceil(tats[i] - now)
  end
end
if retry > 0 then
  out[1] = 0
  out[2] = math.ceil(retry)
else
  for i = 1, #KEYS do
    redis.call('SET', KEYS[i], string.format('%.3f', tats[i]), 'PX', math.ceil(tats[i] - now) + 1)
  end
end
return out
`;

/**
 * A deadline on every take, queued or sent: a hung Redis makes the limiter fail open after it instead of holding every
 * USI request. Our own cleared timer rather than ioredis' `commandTimeout`, whose timer outlives a command that has
 * already answered.
 */
const TAKE_TIMEOUT_MS = 1_000;
const CONNECT_TIMEOUT_MS = 2_000;

type RedisWithTake = Redis & { rateLimitTake(...args: (string | number)[]): Promise<number[]> };

/** Buckets of one vendor share a hash tag, so the script stays on one slot in Redis Cluster. */
export class RedisRateLimitStore implements RateLimitStore {
  readonly kind = 'redis';
  private readonly logger = new Logger(RedisRateLimitStore.name);
  private readonly redis: RedisWithTake;

  constructor(url: string, private readonly prefix: string) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
    }) as RedisWithTake;
    // Connection errors go to our log (ioredis prints them to the console when nobody listens); takes still fail
    // and the limiter lets requests through meanwhile.
    this.redis.on('error', (err: Error) => this.logger.warn({ msg: 'rate-limit Redis connection error', err: err.message }));
    this.redis.defineCommand('rateLimitTake', { lua: TAKE_SCRIPT });
  }

  async take(buckets: Bucket[], windowMs: number): Promise<RateDecision> {
    const reply = await withTimeout(
      this.redis.rateLimitTake(
        buckets.length,
        ...buckets.map((b) => this.prefix + b.key),
        windowMs,
        ...buckets.map((b) => b.limit),
        ...buckets.map((b) => b.cost ?? 1),
      ),
      TAKE_TIMEOUT_MS,
    );
    return {
      allowed: reply[0] === 1,
      retryAfterMs: reply[1],
      states: buckets.map((bucket, i) => ({ bucket, remaining: reply[2 + 2 * i], resetMs: reply[3 + 2 * i] })),
    };
  }

  async close(): Promise<void> {
    if (this.redis.status !== 'ready') return this.redis.disconnect();
    await withTimeout(this.redis.quit(), TAKE_TIMEOUT_MS).catch(() => this.redis.disconnect());
  }
}
