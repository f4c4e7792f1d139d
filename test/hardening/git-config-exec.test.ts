/**
 * A scanned repository's own config must never make nhiscan run a program. Every key git would turn
 * into a command points at a script that writes a marker file; scans (local path and URL clone) must
 * find the secret and leave no marker.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { collectGit } from '../../connectors/git/connector.js';
import { secretHash } from '../../src/redact.js';
import { testContext } from '../support/context.js';
import { TestRepo } from '../../testkit/git-repo.js';
import { fakeGithubToken } from '../../testkit/seeded-tokens.js';

/** Config keys git runs as programs (or that switch on a program), each pointing at its own marker script. */
const EXECUTABLE_KEYS = [
  'gpg.program',
  'gpg.openpgp.program',
  'gpg.x509.program',
  'gpg.ssh.program',
  'core.fsmonitor',
  'core.pager',
  'pager.log',
  'pager.cat-file',
  'pager.rev-list',
  'diff.external',
  'diff.evil.textconv',
  'diff.evil.command',
  'filter.evil.clean',
  'filter.evil.smudge',
  'filter.evil.process',
  'core.sshCommand',
  'core.askPass',
  'core.gitProxy',
  'credential.helper',
  'uploadpack.packObjectsHook',
  'core.alternateRefsCommand',
  'core.editor',
];

function hostileRepo() {
  const repo = TestRepo.create('nhiscan-hostile-');
  const secret = fakeGithubToken('hostile-config');
  repo.commit('first', { '.gitattributes': '* diff=evil filter=evil\n', 'app.env': `TOKEN=${secret}\n` });
  // A commit carrying a signature of each kind, so `log --show-signature` would call every verifier.
  const tree = repo.git('rev-parse', 'HEAD^{tree}');
  let parent = repo.git('rev-parse', 'HEAD');
  for (const armour of ['PGP SIGNATURE', 'SSH SIGNATURE', 'SIGNED MESSAGE']) {
    const body = [
      `tree ${tree}`,
      `parent ${parent}`,
      'author A <a@example.com> 1735725600 +0000',
      'committer A <a@example.com> 1735725600 +0000',
      `gpgsig -----BEGIN ${armour}-----`,
      ' ',
      ' AAAA',
      ` -----END ${armour}-----`,
      '',
      'signed',
      '',
    ].join('\n');
    parent = hashCommit(repo, body);
  }
  repo.git('update-ref', 'refs/heads/main', parent);

  const markers = join(repo.dir, '..', `${repo.dir.split('/').pop()}-markers`);
  mkdirSync(markers, { recursive: true });
  const hooks = join(markers, 'hooks');
  mkdirSync(hooks);
  const script = (name: string) => {
    const path = join(markers, `${name}.sh`);
    writeFileSync(path, `#!/bin/sh\necho "${name} $*" >> "${join(markers, 'RAN')}"\ncat >/dev/null 2>&1\nexit 1\n`);
    chmodSync(path, 0o755);
    return path;
  };
  for (const key of EXECUTABLE_KEYS) repo.git('config', key, key === 'credential.helper' ? `!${script(key)}` : script(key));
  for (const hook of ['pre-commit', 'post-checkout', 'reference-transaction', 'pre-auto-gc', 'post-index-change', 'fsmonitor-watchman']) {
    writeFileSync(join(hooks, hook), readFileSync(script(`hook-${hook}`)));
    chmodSync(join(hooks, hook), 0o755);
  }
  repo.git('config', 'core.hooksPath', hooks);
  repo.git('config', 'log.showSignature', 'true');
  // Behaviours that would hide history from the attribution pass.
  repo.git('config', 'log.showRoot', 'false');
  repo.git('config', 'core.quotePath', 'true');
  return { repo, secret, ran: join(markers, 'RAN') };
}

function hashCommit(repo: TestRepo, body: string): string {
  const path = join(repo.dir, '.git', 'nhiscan-commit-body');
  writeFileSync(path, body);
  return repo.git('hash-object', '-t', 'commit', '-w', path);
}

describe('a scanned repository cannot make nhiscan run a program', () => {
  it('runs none of the programs its config names, on a local scan', async () => {
    const { repo, secret, ran } = hostileRepo();
    const result = await collectGit(testContext(`git:${repo.dir}`, { options: { threads: '1', 'no-cache': true } }));
    expect(existsSync(ran) ? readFileSync(ran, 'utf8') : '').toBe('');
    expect(result.status).toBe('ok');
    expect(result.credentials.map((c) => c.secret!.hash)).toEqual([secretHash(secret)]);
    // Attributed to the commit that introduced it, although log.showRoot=false would hide root commits' files.
    expect(result.credentials[0]!.locations[0]!.commit).toBe(repo.git('rev-list', '--max-parents=0', 'HEAD'));
  });

  it('runs none of them when it is cloned from a URL, nor through the pack walk', async () => {
    const { repo, secret, ran } = hostileRepo();
    const url = pathToFileURL(repo.dir).href;
    const previous = process.env.NHISCAN_GIT_PACK_WALK_MIN;
    process.env.NHISCAN_GIT_PACK_WALK_MIN = '1';
    try {
      const result = await collectGit(testContext(`git:${url}`, { options: { threads: '1', 'no-cache': true } }));
      expect(result.credentials.map((c) => c.secret!.hash)).toEqual([secretHash(secret)]);
    } finally {
      if (previous === undefined) delete process.env.NHISCAN_GIT_PACK_WALK_MIN;
      else process.env.NHISCAN_GIT_PACK_WALK_MIN = previous;
    }
    expect(existsSync(ran) ? readFileSync(ran, 'utf8') : '').toBe('');
  });
});
