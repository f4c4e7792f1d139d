/**
 * Credentials written into a source URL (`https://TOKEN@host/…`, `https://user:p@ss@host/…`) never reach
 * stderr, a report of any format, a config parse error, or the temporary clone's `.git/config`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactText, redactUrlCredentials } from '../../src/redact.js';
import { parseSourceSpec } from '../../src/sources.js';
import { resolveRepository } from '../../connectors/git/repository.js';
import { startGitHttpServer, type GitHttpServer } from '../../testkit/github/git-http.js';
import { TestRepo } from '../../testkit/git-repo.js';
import { allReports, runMain, scratch } from './helpers.js';

/** A credential with no recognisable token shape: only URL masking can hide it. */
const opaque = () => `tok${randomBytes(12).toString('hex')}`;

describe('URL userinfo is masked whole', () => {
  it('masks token-only userinfo and passwords containing @ or :', () => {
    const token = opaque();
    expect(redactUrlCredentials(`git:https://${token}@example.com/acme/x.git`)).toBe('git:https://***@example.com/acme/x.git');
    expect(redactUrlCredentials(`https://user:p@ss${token}@example.com/x`)).toBe('https://***@example.com/x');
    expect(redactUrlCredentials(`https://user:a:b${token}@example.com/x`)).toBe('https://***@example.com/x');
    // An @ in the path or query is not userinfo.
    expect(redactUrlCredentials('https://example.com/pkg@1.0?a=b@c')).toBe('https://example.com/pkg@1.0?a=b@c');
    expect(parseSourceSpec(`git:https://${token}@example.com/x.git`).spec).not.toContain(token);
    expect(redactText(`cannot clone https://u:x@${token}@h/x`)).not.toContain(token);
  });

  it('keeps it out of stderr and every report format when the source fails', async () => {
    const token = opaque();
    const password = `p@ss${opaque()}`;
    const out = scratch();
    const run = await runMain([
      'scan',
      `git:http://${token}@127.0.0.1:1/acme/a.git`,
      `git:http://ci:${password}@127.0.0.1:1/acme/b.git`,
      '--out',
      out,
      '--fail-on',
      'none',
    ]);
    expect(run.code).toBe(3);
    const everything = `${run.stdout}\n${run.stderr}\n${allReports(out)}`;
    expect(everything).toContain('http://***@127.0.0.1:1/acme/a.git');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(password.slice(4));
  });

  it('keeps it out of the excerpt of a YAML config parse error', async () => {
    const token = opaque();
    const dir = scratch();
    const config = join(dir, 'nhiscan.config.yaml');
    writeFileSync(config, `sources:\n  - git:https://${token}@example.com/x.git: [unclosed\n`);
    const run = await runMain(['scan', '--config', config, '--out', join(dir, 'out')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot parse config/);
    expect(run.stderr).not.toContain(token);
  });
});

describe('a URL source is cloned without writing its credential to disk', () => {
  let server: GitHttpServer;
  const token = opaque();
  beforeAll(async () => {
    server = await startGitHttpServer({ authorize: (t) => t === token });
  });
  afterAll(() => server.close());

  it('sends the credential as a header and leaves it out of the clone config', async () => {
    const repo = TestRepo.create();
    repo.commit('one', { 'README.md': 'hello\n' });
    const url = server.addRepository('acme/web.git', repo.dir);
    const withCredential = url.replace('http://', `http://x-access-token:${token}@`);
    const resolved = await resolveRepository(withCredential, process.cwd());
    try {
      const config = readFileSync(join(resolved.gitDir, 'config'), 'utf8');
      expect(config).not.toContain(token);
      expect(config).toContain(url);
      expect(resolved.name).not.toContain(token);
      expect(server.requests.some((r) => r.auth === 'accepted')).toBe(true);
    } finally {
      resolved.cleanup();
    }
  });
});
