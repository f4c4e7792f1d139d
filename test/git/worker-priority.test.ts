/**
 * The scan workers yield to a listing per pool (connectors/git/worker-priority.ts): a pool that runs no
 * listing never lowers its workers, and the end of one pool's listing restores that pool's workers only,
 * not those of another source still listing. Observed as each thread's nice value in /proc; skipped
 * where a thread's priority cannot be raised again (no RLIMIT_NICE allowance or CAP_SYS_NICE).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { join } from 'node:path';
import { GitScanPool } from '../../connectors/git/git-scan-pool.js';
import { TestRepo } from '../../testkit/git-repo.js';

/** Whether this thread may lower its priority and raise it again (the workers' yield needs both). */
function reniceAllowed(): boolean {
  if (process.platform !== 'linux') return false;
  const before = getPriority();
  try {
    setPriority(Math.min(19, before + 1));
    setPriority(before);
    return true;
  } catch {
    return false;
  }
}

/** How far below the main thread's priority each thread of this process runs that runs below it (read from /proc). */
function threadsYielding(): number[] {
  const base = getPriority(process.pid);
  const below: number[] = [];
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(join('/proc/self/task', tid, 'stat'), 'utf8');
    } catch {
      continue; // the thread has ended
    }
    const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]); // field 19, after the command name
    if (nice > base) below.push(nice - base);
  }
  return below;
}

const temps: string[] = [];
const pools: GitScanPool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.destroy();
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!reniceAllowed())('the scan workers yield per pool', () => {
  it('restores only the workers of the pool whose listing ended, and never lowers a pool that lists nothing', async () => {
    const repo = TestRepo.create('nhiscan-worker-priority-');
    temps.push(repo.dir);
    repo.commit('initial', { 'config/app.ini': 'mode = base\n' });
    const blob = repo.git('rev-parse', 'HEAD:config/app.ini').trim();
    const gitDir = join(repo.dir, '.git');
    const pool = async (listing: boolean) => {
      const created = new GitScanPool({ gitDir, maxSize: 1 << 20, threads: 1, listing }, () => {});
      pools.push(created);
      for (let batch = 0; batch < 2; batch++) {
        await created.addBlob(blob, 'config/app.ini');
        await created.drain(); // its worker has started and handled work: twice, yielding once
      }
      return created;
    };
    expect(threadsYielding()).toEqual([]);
    await pool(false); // blobs read again at other paths or at HEAD: no listing to yield to
    expect(threadsYielding()).toEqual([]);
    const first = await pool(true);
    const second = await pool(true); // another source, listing at the same time
    expect(threadsYielding()).toEqual([4, 4]);
    first.listingEnded();
    expect(threadsYielding()).toEqual([4]); // the second source's worker still yields to its listing
    second.listingEnded();
    expect(threadsYielding()).toEqual([]);
    await pool(true); // a new listing pool yields until its own listing ends
    expect(threadsYielding()).toEqual([4]);
  });
});
