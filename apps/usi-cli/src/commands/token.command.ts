import { CliIo } from '../cli-io';
import { CliOptions } from '../cli-options';
import { openSession } from '../client-session';

/** `token`: proves the credential, STS and AppliesTo work together. Prints metadata, never the token or proof key. */
export async function tokenCommand(options: CliOptions, io: CliIo): Promise<unknown> {
  const { client, ctx, endpoints } = await openSession(options, io);
  try {
    const { token, hit, cacheKey } = await client.acquireToken(ctx);
    return {
      stsUrl: endpoints.stsUrl,
      appliesTo: endpoints.appliesTo,
      cacheKey,
      tokenCacheHit: hit,
      created: token.created.toISOString(),
      expires: token.expires.toISOString(),
      proofKeyBytes: token.proofKey.length,
    };
  } finally {
    await client.close();
  }
}
