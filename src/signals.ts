// Ctrl-C semantics of the long-running entry points: the first SIGINT/SIGTERM asks for a clean stop (in-flight
// work finishes, then exit 0); a second one, to someone who does not want to wait, exits at once, non-zero.

/** `stop` runs once on the first signal; the process exits 0 when it resolves, 1 when it throws. */
export function stopOnSignals(stop: (signal: NodeJS.Signals) => Promise<void>): void {
  onSignals((signal) => {
    stop(signal).then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`error while stopping: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  });
}

/** `first` runs on the first SIGINT/SIGTERM; the second forces an exit with 128 + the signal number. */
export function onSignals(first: (signal: NodeJS.Signals) => void): void {
  let received: NodeJS.Signals | null = null;
  const handler = (signal: NodeJS.Signals) => {
    if (received) {
      process.stderr.write(`${signal} received again: exiting now, without waiting for in-flight work to finish\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    received = signal;
    first(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
