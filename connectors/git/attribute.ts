/**
 * Attributes blobs to the commit that introduced them, after the scan and for the blobs with hits only
 * (a handful, against hundreds of thousands scanned): `git log --reverse --raw` passes over the whole
 * selection, oldest commit first, recording the first commit that wrote each wanted blob at a path. Blobs
 * first written by a merge (conflict resolutions) are caught by a second, merge-only pass.
 *
 * Why whole passes and not a `git log` limited to the paths the blobs were scanned at (a third cheaper on
 * git/git): no cheap check proves that a path's first writer introduced the blob. A blob deleted and
 * written again later at another path, or written first on a merged branch that git's history
 * simplification skips, would be credited to the later commit, and a leak's first date and author (whom
 * ownership joins to a person) are what the finding is for.
 */
import { exited, GitError, gitLines, gitRecords, spawnGit } from './git-process.js';
import { selectionInput, type RevSelection } from './enumerate.js';
import { toIsoDate } from '../../src/time.js';
import { cleanMetadata } from '../../src/metadata.js';

export interface Attribution {
  commit: string;
  author: string;
  authorEmail: string;
  date: string;
  path: string;
}

const FORMAT = 'format:\u0001%H\u0002%an\u0002%ae\u0002%aI';

export type CommitInfo = Omit<Attribution, 'path'>;

/**
 * Up to this many blobs, their ids filter the passes' output (`--find-object`); past it (a history full of
 * findings) the passes run unfiltered.
 */
const MAX_FILTERED_BLOBS = 256;

/**
 * Whole passes over the selection, oldest commit first: the first commit whose diff writes each wanted
 * blob, then, for blobs still unseen, the first merge whose diff against its first parent writes it.
 * Each stops as soon as every blob is found.
 */
export async function attributeBlobs(gitDir: string, wanted: Set<string>, selection: RevSelection, signal?: AbortSignal): Promise<Map<string, Attribution>> {
  const found = new Map<string, Attribution>();
  if (!wanted.size) return found;
  const visit = (oid: string, path: string, commit: string) => {
    if (wanted.has(oid) && !found.has(oid)) found.set(oid, { ...commitInfo(commit), path });
    return found.size === wanted.size; // all found: stop reading
  };
  // git then prints only the diff entries that add, change or remove these blobs: the same first
  // sightings, without formatting (and parsing here) every other entry of the history.
  const only = wanted.size <= MAX_FILTERED_BLOBS ? [...wanted].map((oid) => `--find-object=${oid}`) : [];
  const input = selectionInput(selection);
  await logPass(gitDir, input, only, visit, signal);
  if (found.size < wanted.size) await logPass(gitDir, input, [...only, '--merges', '--diff-merges=first-parent'], visit, signal);
  return found;
}

/**
 * Attribution from a listing that came with each blob's first commit holding it, in `git log --all
 * --reverse` order (BlobScan's in-commit-order listing): no earlier commit holds the blob, so none writes
 * it, and when that commit is not a merge and its own diff writes the blob, it is the first writer the
 * whole passes would find, at the same path (the first entry of its diff that writes the blob). One
 * `git log --no-walk` over these few commits checks it. A blob it does not confirm (first held by a merge,
 * or reached only through a tag) is left out, for the whole passes.
 */
export async function confirmFirstHolders(gitDir: string, firstHolders: Map<string, string>, signal?: AbortSignal): Promise<Map<string, Attribution>> {
  const found = new Map<string, Attribution>();
  if (!firstHolders.size) return found;
  const commits = [...new Set(firstHolders.values())];
  const only = firstHolders.size <= MAX_FILTERED_BLOBS ? [...firstHolders.keys()].map((oid) => `--find-object=${oid}`) : [];
  // Merges show no diff here (no --diff-merges): one that first holds a blob confirms nothing.
  await logPass(
    gitDir,
    { args: ['--no-walk=unsorted'], stdin: `${commits.join('\n')}\n` },
    only,
    (oid, path, commit) => {
      const holder = firstHolders.get(oid);
      if (holder && !found.has(oid) && commit.startsWith(holder) && commit.charCodeAt(holder.length) === 0x02) found.set(oid, { ...commitInfo(commit), path });
      return found.size === firstHolders.size;
    },
    signal,
  );
  return found;
}

/** A path a commit writes a blob at: the first commit (oldest first) that writes it there. */
export interface Writer {
  path: string;
  commit: CommitInfo;
}

/**
 * Every path at which a commit of the selection writes each of these blobs, each with the first commit
 * that writes it there, oldest first (one whole pass, filtered to them): what a blob whose path hid a
 * secret is judged by too, and where each of its hits is reported (path-judging.ts). A merge's diff
 * against its first parent is read as well: a conflict resolution writes paths no branch commit wrote.
 */
export async function pathsWriting(gitDir: string, wanted: Set<string>, selection: RevSelection, signal?: AbortSignal): Promise<Map<string, Writer[]>> {
  const paths = new Map<string, Writer[]>();
  const only = wanted.size <= MAX_FILTERED_BLOBS ? [...wanted].map((oid) => `--find-object=${oid}`) : [];
  await logPass(
    gitDir,
    selectionInput(selection),
    [...only, '--diff-merges=first-parent'],
    (oid, path, commit) => {
      if (!wanted.has(oid)) return false;
      const seen = paths.get(oid);
      if (!seen) paths.set(oid, [{ path, commit: commitInfo(commit) }]);
      else if (!seen.some((writer) => writer.path === path)) seen.push({ path, commit: commitInfo(commit) });
      return false;
    },
    signal,
  );
  return paths;
}

/**
 * A commit as the log pass reports it: one string (`id`, author, email, date joined by \u0002), parsed
 * by commitInfo only for the few blobs that need it. A history has tens of thousands of commits.
 */
export function commitInfo(record: string): CommitInfo {
  const [hash, author, email, date] = record.split('\u0002');
  // Whoever committed chose these: no escape sequence or secret of theirs reaches a report.
  return { commit: hash!, author: cleanMetadata(author ?? ''), authorEmail: cleanMetadata(email ?? ''), date: toIsoDate(date) ?? '' };
}

/**
 * One `git log --reverse --raw` over the commits `args` and `stdin` select: `visit` hears every (blob,
 * path, commit record) a diff writes, in order, and stops the pass by returning true.
 */
async function logPass(
  gitDir: string,
  { args, stdin }: { args: string[]; stdin: string },
  extra: string[],
  visit: (oid: string, path: string, commit: string) => boolean,
  signal?: AbortSignal,
): Promise<void> {
  const child = spawnGit(gitDir, [
    'log',
    '--reverse',
    `--format=${FORMAT}`,
    '--raw',
    '--no-abbrev',
    '--no-renames',
    '--no-textconv',
    '--no-ext-diff',
    '--no-show-signature',
    '--no-mailmap',
    '-z',
    ...extra,
    ...args,
    '--stdin',
  ]);
  const done = exited(child);
  const stop = () => child.kill();
  signal?.addEventListener('abort', stop, { once: true });
  if (signal?.aborted) stop();
  child.stdin.on('error', () => {});
  child.stdin.end(stdin);
  let commit: string | undefined;
  let stoppedEarly = false;
  let pendingPath: string | undefined; // with -z, a raw entry's path is the next NUL-separated field
  let pendingOid: string | undefined;
  try {
    for await (const record of gitRecords(child, 0)) {
      if (pendingOid !== undefined) {
        const oid = pendingOid;
        pendingOid = undefined;
        pendingPath = record;
        if (commit && oid !== '-' && visit(oid, pendingPath, commit)) {
          stoppedEarly = true;
          break;
        }
        continue;
      }
      let raw = record;
      const header = raw.indexOf('\u0001');
      if (header >= 0) {
        const eol = raw.indexOf('\n', header);
        commit = raw.slice(header + 1, eol < 0 ? raw.length : eol);
        raw = eol < 0 ? '' : raw.slice(eol + 1);
      }
      raw = raw.trim();
      if (raw.startsWith(':')) pendingOid = resultBlob(raw);
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    if (child.exitCode === null) child.kill();
  }
  const { code, stderr } = await done;
  if (signal?.aborted) throw new Error('git log stopped');
  // A walk cut short (a partial clone missing trees, a corrupt commit) must not pass for a whole one.
  if (!stoppedEarly && code !== 0) throw new GitError(`git log failed: ${stderr.split('\n')[0] || `exit ${code}`}`, code, stderr);
}

/**
 * The blob a raw diff entry writes, or '-' when it writes none: `:100644 100644 <old> <new> M`, or for a
 * merge's combined entry (`-c`) one colon, mode and id per parent, `::100644 100644 100644 <p1> <p2> <new> MM`.
 * The path follows in the next record. A deletion introduces nothing; a gitlink (mode 160000) is a commit of
 * another repository.
 */
export function resultBlob(raw: string): string {
  let parents = 0;
  while (raw.charCodeAt(parents) === 0x3a /* : */) parents++;
  const fields = raw.slice(parents).split(' ');
  const mode = fields[parents];
  const oid = fields[2 * parents + 1];
  if (!oid || mode === '160000' || /^0+$/.test(oid)) return '-';
  return oid;
}

export { gitLines };
