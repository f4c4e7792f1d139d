/**
 * Blobs a ref points at outside any commit: a tag on a blob (git's own `junio-gpg-pub`), or the files of a
 * tagged tree. `git rev-list --all --objects` lists them; the `git log` pass that lists a whole history's
 * blobs does not, so they are listed here, at the ref's name (a tagged blob has no path).
 */
import { runGit } from './git-process.js';

export interface TaggedBlob {
  oid: string;
  path: string;
}

export async function taggedBlobs(gitDir: string): Promise<TaggedBlob[]> {
  const { stdout } = await runGit(gitDir, ['for-each-ref', '--format=%(objecttype) %(*objecttype) %(refname)']);
  const candidates: string[] = [];
  for (const line of stdout.split('\n')) {
    const [type, peeled, ref] = line.split(' ');
    // Commits (and tags of commits) are the log's; anything else may end at a blob or a tree.
    if (ref && type !== 'commit' && !(type === 'tag' && peeled === 'commit')) candidates.push(ref);
  }
  if (!candidates.length) return [];
  const peeled = await runGit(gitDir, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], {
    input: candidates.map((ref) => `${ref}^{}\n`).join(''),
  });
  const out: TaggedBlob[] = [];
  const lines = peeled.stdout.split('\n');
  for (let i = 0; i < candidates.length; i++) {
    const [oid, type] = (lines[i] ?? '').split(' ');
    if (!oid) continue;
    if (type === 'blob') out.push({ oid, path: candidates[i]! });
    else if (type === 'tree') out.push(...(await treeBlobs(gitDir, oid)));
  }
  return out;
}

/** Every blob of a tree, with its path (gitlinks are commits of another repository: left out). */
async function treeBlobs(gitDir: string, tree: string): Promise<TaggedBlob[]> {
  const { stdout } = await runGit(gitDir, ['ls-tree', '-r', '-z', '--full-tree', tree]);
  const out: TaggedBlob[] = [];
  for (const entry of stdout.split('\0')) {
    const tab = entry.indexOf('\t');
    const [, type, oid] = entry.slice(0, tab).split(' ');
    if (tab > 0 && type === 'blob' && oid) out.push({ oid, path: entry.slice(tab + 1) });
  }
  return out;
}
