/**
 * The scan workers yield to the git listing while it runs. In a whole history's first scan, the workers
 * can walk a file's delta tree only once rev-list has listed all of its versions, so the listing is the
 * critical path: on git/git the workers slept 12 to 15 s each, waiting for trees, while rev-list shared
 * the cores with them (3 to 5 s with this). A worker lowers its own priority a little (nice +4: Linux
 * sets it per thread), so the listing keeps a core to itself; when the listing ends, the main thread
 * gives the workers the process's priority back (where it may: raising a priority again needs a
 * RLIMIT_NICE allowance, else they stay +4, which only matters against other programs). Where thread
 * ids cannot be read (not Linux), nothing changes.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

const YIELD = 4;

/** In a worker thread: lowers this thread's priority below the process's. */
export function yieldToListing(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + YIELD));
  } catch {
    // not Linux, or not allowed: the worker keeps the process's priority
  }
}

/** In the main thread, once the listing has ended: every thread of the process back to the main thread's priority. */
export function listingEnded(): void {
  let threads: string[];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    return; // not Linux
  }
  const base = getPriority(process.pid);
  for (const entry of threads) {
    try {
      const tid = Number(entry);
      if (getPriority(tid) > base) setPriority(tid, base);
    } catch {
      // not allowed to raise this thread's priority again (RLIMIT_NICE), or it has ended: the others still are
    }
  }
}
