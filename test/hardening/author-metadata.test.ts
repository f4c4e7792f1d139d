/**
 * Commit metadata is chosen by whoever committed: a token in an author name must not reach any report
 * (SARIF is uploaded to code scanning), and terminal escape sequences must not be written raw.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanMetadata } from '../../src/metadata.js';
import { TestRepo } from '../../testkit/git-repo.js';
import { fakeAwsKeyId, fakeGithubToken } from '../../testkit/seeded-tokens.js';
import { allReports, runMain, scratch } from './helpers.js';

const ESC = '\u001b';

describe('commit metadata in reports', () => {
  it('cleans escape sequences and redacts secrets in author names, e-mails and paths', () => {
    const token = fakeGithubToken('in-author-name');
    expect(cleanMetadata(`Mallory ${ESC}[31mred${ESC}[0m ${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;\u0007 \u202eevil`)).toBe('Mallory red link evil');
    const cleaned = cleanMetadata(`ci-bot ${token}`);
    expect(cleaned).not.toContain(token);
    expect(cleaned).toMatch(/^ci-bot ghp_/);
  });

  it('no format carries an author token or a raw escape sequence', async () => {
    const repo = TestRepo.create();
    const token = fakeGithubToken('author-token');
    const keyId = fakeAwsKeyId('author-email');
    const leaked = fakeGithubToken('leaked-in-file');
    repo.commit(
      'leak',
      { 'app.env': `TOKEN=${leaked}\n` },
      { name: `Deploy Bot ${token} ${ESC}]0;pwned${ESC}\\${ESC}[2J`, email: `${keyId}${ESC}[31m@example.com` },
    );
    const out = join(scratch(), 'out');
    const run = await runMain(['scan', `git:${repo.dir}`, '--out', out, '--quiet', '--no-cache', '--fail-on', 'none']);
    expect(run.code).toBe(0);
    const reports = allReports(out);
    expect(reports).toContain('Deploy Bot ghp_');
    for (const value of [token, keyId, leaked]) expect(reports).not.toContain(value);
    expect(reports).not.toContain(ESC);
    expect(reports).not.toMatch(/\\u001b/i);
  });
});
