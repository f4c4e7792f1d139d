/**
 * What must happen when nhiscan is interrupted (SIGINT, SIGTERM): child processes it started are killed
 * and temporaries it created are removed, so a Ctrl-C or a CI timeout leaves no `git clone` running and
 * no temporary clone (with its objects) behind. Node's default handling would just exit.
 *
 * Cleanups run synchronously, the latest registered first (a clone's git process is killed before its
 * directory is removed); the process then exits with 128 + signal number.
 */
type Cleanup = () => void;

const cleanups = new Set<Cleanup>();
let installed = false;

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

function runCleanups(): void {
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // best effort: one failing cleanup must not keep the others from running
    }
  }
  cleanups.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const [signal, number] of Object.entries(SIGNALS)) {
    process.on(signal, () => {
      runCleanups();
      process.exit(128 + number);
    });
  }
}

/** Registers `cleanup` to run if the process is interrupted; call the returned function once done. */
export function onInterrupt(cleanup: Cleanup): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
