/**
 * Enumerates the blobs to scan with one `git rev-list --objects` walk: every blob reachable from the
 * selected commits, once, with the first path it was seen at (used for path-aware detection and
 * allowlists). Objects a partial clone lacks are reported, not fetched. A whole history whose packs the
 * scan walks is listed by the `git log` pass instead (BlobScan.listWithLog), which attributes at once.
 */
import { exited, GitError, gitLines, spawnGit } from './git-process.js';

export interface RevSelection {
  /** `A..B`: only what B adds over A (a pull request). */
  range?: string;
  /** Only what the refs add over REV (a push, or "since the last release"). */
  since?: string;
  /** Commits already scanned (cached ref tips): excluded from the walk. */
  exclude?: string[];
}

export type EnumeratedObject = { kind: 'blob'; oid: string; path: string } | { kind: 'missing'; oid: string };

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
  const { args, stdin } = selectionInput(selection);
  const child = spawnGit(gitDir, ['rev-list', '--objects', '--filter=object:type=blob', '--missing=print', ...args, '--stdin']);
  const done = exited(child);
  child.stdin.on('error', () => {});
  child.stdin.end(stdin);
  try {
    for await (const line of gitLines(child)) {
      if (line.startsWith('?')) {
        yield { kind: 'missing', oid: line.slice(1, 41).trim() };
        continue;
      }
      const space = line.indexOf(' ');
      // Lines without a name are commits (the blob filter keeps them); blobs always have a path.
      // Annotated tags also carry a name: the blob reader sees their type and skips them.
      if (space < 0) continue;
      yield { kind: 'blob', oid: line.slice(0, space), path: line.slice(space + 1) };
    }
  } finally {
    if (child.exitCode === null) child.kill();
  }
  const { code, stderr } = await done;
  if (code !== 0 && code !== null) throw new GitError(`git rev-list failed: ${stderr.split('\n')[0] || `exit ${code}`}`, code, stderr);
}
