/**
 * Enumerates the blobs to scan with one `git rev-list --objects` walk: every blob reachable from the
 * selected commits, once, with the first path it was seen at (used for path-aware detection and
 * allowlists). Objects a partial clone lacks are reported, not fetched. A whole history whose packs the
 * scan walks is listed commit by commit, oldest first (objectsInCommitOrder), which also tells each
 * blob's first commit and the path it had there.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { exited, GitError, gitRecordBatches, spawnGit, wholeRecords } from './git-process.js';

export interface RevSelection {
  /** `A..B`: only what B adds over A (a pull request). */
  range?: string;
  /** Only what the refs add over REV (a push, or "since the last release"). */
  since?: string;
  /** Commits already scanned (cached ref tips): excluded from the walk. */
  exclude?: string[];
}

type MissingObject = { kind: 'missing'; oid: string };
export type EnumeratedObject = { kind: 'blob'; oid: string; path: string } | MissingObject;

/** rev-list's selection arguments, fed on stdin so thousands of refs never hit the argument limit. */
export function selectionInput(selection: RevSelection): { args: string[]; stdin: string } {
  const lines: string[] = [];
  const args: string[] = [];
  if (selection.range) lines.push(selection.range);
  else {
    args.push('--all');
    if (selection.since) lines.push(`^${selection.since}`);
  }
  for (const tip of selection.exclude ?? []) lines.push(`^${tip}`);
  return { args, stdin: lines.length ? `${lines.join('\n')}\n` : '' };
}

/** Checks a user-given revision or range early, so a typo is one clear error rather than an empty scan. */
export function validateRevision(rev: string): void {
  if (!rev || rev.startsWith('-') || /[\s\0]/.test(rev)) throw new GitError(`invalid revision "${rev}"`, null, '');
}

export async function* enumerateBlobs(gitDir: string, selection: RevSelection): AsyncGenerator<EnumeratedObject> {
  const revList = startRevList(gitDir, selection, ['--filter=object:type=blob']);
  const batches = listed<EnumeratedObject>(revList, (oid, path) => (path === undefined ? undefined : { kind: 'blob', oid, path }));
  for await (const batch of batches) yield* batch;
}

/**
 * The first tree of the selection that the object store lacks, or undefined when none is missing. A
 * treeless partial clone (`--filter=tree:N`) lacks trees, and the blob-filtered listing never prints a
 * missing tree (only missing blobs), so the blobs below one would go unlisted without a word. This listing
 * of commits and trees stops at the first missing one.
 */
export async function firstMissingTree(gitDir: string, selection: RevSelection): Promise<string | undefined> {
  const revList = startRevList(gitDir, selection, ['--filter=blob:none']);
  for await (const batch of listed<never>(revList, () => undefined)) {
    if (batch.length) return batch[0]!.oid; // only missing objects are kept; leaving the loop kills git
  }
  return undefined;
}

export type ListedObject = { kind: 'commit'; oid: string } | { kind: 'object'; oid: string; path: string } | MissingObject;

/**
 * Every commit of the selection, oldest first (`git log --reverse` order), each followed by the trees and
 * blobs its tree holds that no commit before it holds (`rev-list --objects --in-commit-order --reverse`):
 * a blob comes right after the first commit that holds it, at its path there. Trees are listed too
 * (`--filter=object:type=blob` loses commits with --in-commit-order in git 2.39): the caller tells them
 * apart. Annotated tags and what they point at come after the first commit. git starts at once, so it
 * walks the commits (nothing is printed before they are all walked) while the caller prepares. The
 * output comes raw, a chunk of whole lines at a time (849,000 lines on git/git, two thirds of them
 * trees, which the caller skips without decoding: listing-lines.ts).
 */
export function objectsInCommitOrder(gitDir: string, selection: RevSelection): { chunks: AsyncGenerator<Buffer>; stop(): void } {
  const revList = startRevList(gitDir, selection, ['--in-commit-order', '--reverse']);
  return {
    chunks: checked(revList, wholeRecords(revList.child, 0x0a)),
    stop: () => revList.child.exitCode === null && revList.child.kill(),
  };
}

type LineParser<T> = (oid: string, path: string | undefined) => T | undefined;
type RevList = { child: ChildProcessWithoutNullStreams; done: ReturnType<typeof exited> };

/**
 * rev-list writes to a pipe a commit at a time unless told otherwise: with `--objects` it flushes its
 * output after every commit (git's `maybe_flush_or_die`), so the listing reaches the scan in ~95,000
 * writes of a few hundred bytes on git/git (203,000 commits), each a pipe wake-up of the main thread.
 * Measured on git/git's in-commit-order listing read by `cat`: 14.7 to 16.5 s of git's CPU and 19 to
 * 21 s of wall time flushing, 10.7 to 11.0 s and 11.3 to 11.7 s with GIT_FLUSH=0 (full stdio buffers). The
 * scan reads the whole listing anyway: nothing waits on a line's early arrival.
 */
const BUFFERED_OUTPUT = { GIT_FLUSH: '0' };

function startRevList(gitDir: string, selection: RevSelection, extra: string[]): RevList {
  const { args, stdin } = selectionInput(selection);
  const child = spawnGit(gitDir, ['rev-list', '--objects', ...extra, '--missing=print', ...args, '--stdin'], undefined, BUFFERED_OUTPUT);
  const done = exited(child);
  child.stdin.on('error', () => {});
  child.stdin.end(stdin);
  return { child, done };
}

/**
 * rev-list's lines, a chunk at a time: `?<id>` for a missing object, `<id>` alone for a commit (the blob
 * filter keeps a few), `<id> <path>` for the rest. Blobs always have a path; annotated tags carry their
 * name (the blob reader sees their type and skips them). Stopping early (`return()`) kills git.
 */
async function* listed<T>(revList: RevList, parse: LineParser<T>): AsyncGenerator<Array<T | MissingObject>> {
  for await (const lines of checked(revList, gitRecordBatches(revList.child, 0x0a))) {
    const batch: Array<T | MissingObject> = [];
    for (const line of lines) {
      const space = line.indexOf(' ');
      const item = line.startsWith('?')
        ? { kind: 'missing' as const, oid: line.slice(1, 41).trim() }
        : space < 0
          ? parse(line, undefined)
          : parse(line.slice(0, space), line.slice(space + 1));
      if (item !== undefined) batch.push(item);
    }
    yield batch;
  }
}

/** rev-list's output, then its exit checked: a listing that stopped part-way must never pass for a whole one. Stopping early kills git. */
async function* checked<T>({ child, done }: RevList, output: AsyncIterable<T>): AsyncGenerator<T> {
  let complete = false;
  try {
    yield* output;
    complete = true;
  } finally {
    // Only a listing stopped early kills git; one that ran to its end waits for git's own exit status.
    if (!complete && child.exitCode === null) child.kill();
  }
  const { code, stderr } = await done;
  // No code is a signal (the OOM killer, a kill -9): the list stopped part-way, and a source that
  // looked fully covered would let history mark every finding past that point resolved.
  if (code === null) throw new GitError('git rev-list was killed before it finished listing', null, stderr);
  if (code !== 0) throw new GitError(`git rev-list failed: ${stderr.split('\n')[0] || `exit ${code}`}`, code, stderr);
}
