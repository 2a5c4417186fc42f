const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
/** A close that hangs (a stuck connection) must not keep the process, and Postgres, alive forever. */
const FORCE_EXIT_AFTER_MS = 20_000;

/**
 * On SIGINT/SIGTERM: runs `close` once, then exits 0 (1 if closing failed). A second signal exits at once.
 *
 * Takes the signals over from anything registered before, notably Nest's `enableShutdownHooks`, which closes
 * only the app and then re-raises the signal: the process would die by signal before Postgres is stopped.
 */
export function exitOnSignals(close: () => Promise<void>, log: (line: string) => void): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      log(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    log(`${signal}: shutting down`);
    setTimeout(() => {
      log(`shutdown took over ${FORCE_EXIT_AFTER_MS} ms: exiting`);
      process.exit(1);
    }, FORCE_EXIT_AFTER_MS).unref();
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        log(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) {
    process.removeAllListeners(signal);
    process.on(signal, onSignal);
  }
}
