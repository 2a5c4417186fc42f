/** A job's view as the OpenAPI document shows it (one running job, a third done), for either kind. */
export function jobViewExample(path: 'verification-jobs' | 'creation-jobs', counts: Record<string, number | Record<string, number>>) {
  const self = `/v1/organisations/VA1802/${path}/0b7c…`;
  return {
    id: '0b7c7e2e-5f0a-4d7e-9c7e-3a1f2b9d8c11',
    orgCode: 'VA1802',
    state: 'running',
    dryRun: false,
    counts,
    batches: { total: 3, done: 1 },
    progress: 0.333,
    etaSeconds: 4,
    links: { self, results: `${self}/results` },
  };
}
