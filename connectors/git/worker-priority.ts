/**
 * The scan workers of a listing pool yield to the git listing while it runs. In a whole history's first
 * scan, the workers can walk a file's delta tree only once rev-list has listed all of its versions, so
 * the listing is the critical path: on git/git the workers slept 12 to 15 s each, waiting for trees,
 * while rev-list shared the cores with them (3 to 5 s with this). A worker lowers its own priority a
 * little (nice +4: Linux sets it per thread), so the listing keeps a core to itself; when the listing
 * ends, the main thread gives the workers the process's priority back (where it may: raising a priority
 * again needs a RLIMIT_NICE allowance, else they stay +4, which only matters against other programs).
 * Where thread ids cannot be read (not Linux), nothing changes.
 *
 * Per pool: each listing pool owns a `ListingYield` (shared memory its messages carry), which says
 * whether its listing still runs and holds the thread ids of the workers that yielded to it. So the end
 * of one source's listing restores its own workers only, never another source's still listing, and the
 * pools that run no listing (blobs read again at other paths or at HEAD) never yield at all.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

const YIELD = 4;

/** Slot 0: 1 while the listing runs; slot 1: how many workers yielded; then their thread ids. */
const LISTING = 0,
  COUNT = 1,
  FIRST = 2;

/** Workers of one pool that can yield (a pool's threads, plus replacements of failed ones); more keep their priority. */
const MAX_YIELDING = 510;

/** A listing pool's shared state: created with the pool, sent with its work to each worker. */
export type ListingYield = Int32Array;

export function listingYield(): ListingYield {
  const shared = new Int32Array(new SharedArrayBuffer(4 * (FIRST + MAX_YIELDING)));
  shared[LISTING] = 1;
  return shared;
}

/** This thread's id (Linux), or undefined. */
function threadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined; // not Linux
  }
}

/**
 * Whether this worker thread has decided already: a worker serves one pool, and decides on its first
 * work from it (each message brings a new view of the same memory, so the views cannot be compared).
 */
let decided = false;

/** In a worker thread, on work from a listing pool: lowers this thread's priority while that listing runs. */
export function yieldToListing(listing: ListingYield | undefined): void {
  if (!listing || decided) return;
  decided = true;
  if (Atomics.load(listing, LISTING) !== 1) return;
  const tid = threadId();
  if (tid === undefined) return;
  const slot = Atomics.add(listing, COUNT, 1);
  if (slot >= MAX_YIELDING) return;
  Atomics.store(listing, FIRST + slot, tid); // first: listingEnded restores only the ids it finds
  try {
    setPriority(tid, Math.min(19, getPriority(tid) + YIELD));
    // The listing may have ended meanwhile, its restore finding this thread not yet lowered.
    if (Atomics.load(listing, LISTING) !== 1) setPriority(tid, getPriority(process.pid));
  } catch {
    // not allowed: the worker keeps the process's priority
  }
}

/** In the main thread, once a pool's listing has ended: that pool's workers back to the main thread's priority. */
export function listingEnded(listing: ListingYield): void {
  Atomics.store(listing, LISTING, 0);
  const base = getPriority(process.pid);
  const count = Math.min(Atomics.load(listing, COUNT), MAX_YIELDING);
  for (let slot = 0; slot < count; slot++) {
    const tid = Atomics.load(listing, FIRST + slot);
    try {
      if (tid > 0 && getPriority(tid) > base) setPriority(tid, base);
    } catch {
      // not allowed to raise this thread's priority again (RLIMIT_NICE), or it has ended: the others still are
    }
  }
}
