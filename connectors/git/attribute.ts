/**
 * Attributes blobs to the commit that introduced them: one `git log --reverse --raw` pass over the
 * scanned selection, oldest commit first, recording the first commit that wrote each wanted blob at a
 * path. Only blobs that produced hits are wanted, and the walk stops as soon as all are found.
 * Blobs first written by a merge (conflict resolutions) are caught by a second, merge-only pass.
 */
import { exited, gitLines, spawnGit } from './git-process.js';
import { selectionInput, type RevSelection } from './enumerate.js';
import { toIsoDate } from '../../src/time.js';

export interface Attribution {
  commit: string;
  author: string;
  authorEmail: string;
  date: string;
  path: string;
}

const FORMAT = 'format:\u0001%H\u0002%an\u0002%ae\u0002%aI';

export async function attributeBlobs(gitDir: string, wanted: Set<string>, selection: RevSelection): Promise<Map<string, Attribution>> {
  const found = new Map<string, Attribution>();
  if (!wanted.size) return found;
  await logPass(gitDir, wanted, selection, [], found);
  if (found.size < wanted.size) await logPass(gitDir, wanted, selection, ['--merges', '--diff-merges=first-parent'], found);
  return found;
}

async function logPass(gitDir: string, wanted: Set<string>, selection: RevSelection, extra: string[], found: Map<string, Attribution>): Promise<void> {
  const { args, stdin } = selectionInput(selection);
  const child = spawnGit(gitDir, ['log', '--reverse', `--format=${FORMAT}`, '--raw', '--no-abbrev', '--no-renames', '-z', ...extra, ...args, '--stdin']);
  const done = exited(child);
  child.stdin.on('error', () => {});
  child.stdin.end(stdin);
  let commit: Omit<Attribution, 'path'> | undefined;
  let pendingPath: string | undefined; // with -z, a raw entry's path is the next NUL-separated field
  let pendingOid: string | undefined;
  try {
    for await (const record of nulRecords(child)) {
      if (pendingOid !== undefined) {
        const oid = pendingOid;
        pendingOid = undefined;
        pendingPath = record;
        if (commit && wanted.has(oid) && !found.has(oid)) {
          found.set(oid, { ...commit, path: pendingPath });
          if (found.size === wanted.size) break;
        }
        continue;
      }
      let text = record;
      const header = text.indexOf('\u0001');
      if (header >= 0) {
        const [hash, author, email, date] = text.slice(header + 1).split('\n')[0]!.split('\u0002');
        commit = { commit: hash!, author: author ?? '', authorEmail: email ?? '', date: toIsoDate(date) ?? '' };
        text = text.slice(header + 1).split('\n').slice(1).join('\n');
      }
      const raw = text.trim();
      if (raw.startsWith(':')) {
        // `:100644 100644 <old> <new> M` then the path in the next record.
        const fields = raw.split(' ');
        pendingOid = fields[3];
        if (fields[4]?.startsWith('D')) pendingOid = '-'; // deletion: nothing introduced
      }
    }
  } finally {
    if (child.exitCode === null) child.kill();
  }
  await done;
}

/** Splits git's `-z` output into NUL-separated records without holding the stream in memory. */
async function* nulRecords(child: ReturnType<typeof spawnGit>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    const text = rest + chunk.toString('utf8');
    const parts = text.split('\0');
    rest = parts.pop() ?? '';
    for (const part of parts) yield part;
  }
  if (rest) yield rest;
}

export { gitLines };
