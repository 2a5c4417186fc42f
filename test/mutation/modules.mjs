/**
 * The defence modules under mutation testing (issue 13 §7): what Stryker mutates and the only specs that run against
 * those mutants. Listing the specs per module keeps each mutant's run to the tests that can notice it (jest's
 * findRelatedTests then narrows further, and Stryker's per-test coverage runs only the tests that reach the mutant).
 */
export const MUTATION_MODULES = {
  authorization: {
    mutate: ['apps/gateway/src/common/authorization/access-policy.ts'],
    tests: ['apps/gateway/src/common/authorization/access-policy.spec.ts'],
    concurrency: 2,
  },
  'tenant-transaction': {
    mutate: ['apps/gateway/src/database/tenant-transaction.service.ts'],
    tests: ['test/gateway/tenant-transaction-rls.e2e.spec.ts', 'test/gateway/database/connection-loss.e2e.spec.ts'],
  },
  csrf: {
    mutate: ['apps/gateway/src/auth/csrf/*.ts', '!apps/gateway/src/auth/csrf/*.spec.ts'],
    tests: ['apps/gateway/src/auth/csrf/*.spec.ts'],
    concurrency: 2,
  },
  // Split in two: the parts with unit specs (key header, fingerprint, request id, sealing, the begin/wait protocol)
  // run in about two minutes; the request flow needs a gateway on Postgres per mutant (7-10 s each), so it runs on
  // its own, without static mutants (a constant would re-run every e2e test); narrow it with `-- --mutate <file>`.
  idempotency: {
    mutate: [
      'apps/gateway/src/idempotency/idempotency-key.ts',
      'apps/gateway/src/idempotency/request-fingerprint.ts',
      'apps/gateway/src/idempotency/request-id.ts',
      'apps/gateway/src/idempotency/response-sealer.ts',
      'apps/gateway/src/idempotency/idempotency.service.ts',
    ],
    tests: ['apps/gateway/src/idempotency/*.spec.ts'],
    concurrency: 2,
  },
  // The interceptor and the purge job against their unit specs only: the e2e suites below would kill more, but boot
  // a gateway per mutant (the full flow took over 15 min on the shared VM, so it is split).
  'idempotency-flow': {
    mutate: ['apps/gateway/src/idempotency/idempotency.interceptor.ts', 'apps/gateway/src/idempotency/idempotency-purge.job.ts'],
    tests: ['apps/gateway/src/idempotency/idempotency.interceptor.spec.ts', 'apps/gateway/src/idempotency/idempotency-purge.job.spec.ts'],
    concurrency: 2,
  },
  // The SQL of the key store and the route parameter: the repository against Postgres on its own (no gateway) and
  // the decorator on its unit spec. They kill every mutant the probe and at-rest e2e suites did (and more) in 2.6 min
  // instead of 21.5; those suites boot a gateway per mutant and mostly detect by timing out.
  'idempotency-store': {
    mutate: ['apps/gateway/src/idempotency/idempotency.repository.ts', 'apps/gateway/src/idempotency/idempotency-key.decorator.ts'],
    tests: [
      'test/gateway/idempotency/idempotency-repository.int.spec.ts',
      'apps/gateway/src/idempotency/idempotency-key.decorator.spec.ts',
    ],
    concurrency: 2,
    ignoreStatic: true,
  },
  'usi-abn': {
    mutate: ['libs/usi-contract/src/checks/usi-check.ts', 'libs/usi-contract/src/checks/abn.ts'],
    tests: ['libs/usi-contract/src/checks/*.spec.ts'],
    concurrency: 2,
  },
  // The keyed audit chain (hash, keyring, key loading, verifier, group commit) and its anchors (checkpoint signing,
  // the file and S3 stores, the checkpoint job), on their unit specs only: the audit e2e suites boot a gateway on
  // Postgres per mutant, and everything here can be judged without one (fakes stand in for the database and S3).
  'audit-chain': {
    mutate: [
      'apps/gateway/src/audit/chain/*.ts',
      'apps/gateway/src/audit/anchor/*.ts',
      '!apps/gateway/src/audit/{chain,anchor}/*.spec.ts',
    ],
    tests: ['apps/gateway/src/audit/chain/*.spec.ts', 'apps/gateway/src/audit/anchor/*.spec.ts'],
    concurrency: 2,
  },
  // The webhook SSRF guard: which resolved addresses a delivery may reach (address-guard.ts), the sender that checks
  // every DNS answer, pins the connection to the checked address and follows no redirect (webhook-http.sender.ts), and
  // the two config lines behind its policy (https only in production, the loopback flag refused there). Unit specs
  // only: the sender's spec runs a local HTTP receiver and a fake resolver, no gateway.
  'webhook-ssrf': {
    mutate: [
      'apps/gateway/src/webhooks/delivery/address-guard.ts',
      'apps/gateway/src/webhooks/delivery/webhook-http.sender.ts',
      'apps/gateway/src/config/app-config.ts:297-299',
      'apps/gateway/src/config/app-config.ts:370-371',
    ],
    tests: [
      'apps/gateway/src/webhooks/delivery/address-guard.spec.ts',
      'apps/gateway/src/webhooks/delivery/webhook-http.sender.spec.ts',
      'apps/gateway/src/config/app-config.spec.ts',
    ],
    concurrency: 2,
  },
};
