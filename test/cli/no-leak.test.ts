/**
 * Acceptance: a secret scanner must not become a leak. Plants credential values in every kind of
 * input (a git history, a working tree, a malformed export, a clone URL with a token in it, a config)
 * and proves that none of them appears in any report, log line, error output or cache file.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readReport, runCli, tempDir } from '../support/cli.js';
import { generatePaymentsRepo, estateSecrets } from '../../examples/estate/generate.js';
import * as fake from '../../testkit/fake-tokens.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const st = statSync(path);
    return st.isDirectory() ? filesUnder(path) : st.isFile() ? [path] : [];
  });
}

/** Every 12-character window of a secret (or the whole of a shorter one): none may appear anywhere. */
function leakedIn(text: string, secrets: string[]): string[] {
  return secrets.filter((s) => {
    const w = Math.min(12, s.length);
    for (let i = 0; i + w <= s.length; i++) if (text.includes(s.slice(i, i + w))) return true;
    return false;
  });
}

describe('no secret in any output', () => {
  it('plants credentials in every input and finds none of them in reports, logs, errors or caches', async () => {
    const dir = tempDir();
    const rng = new fake.Rng(20261129);

    // 1. A git history (the sample estate's repository: a key at HEAD, a token only in history).
    const repo = join(dir, 'payments-api');
    generatePaymentsRepo(repo);
    const estate = estateSecrets();

    // 2. A working tree with many credential types.
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'config'), { recursive: true });
    const aws = fake.fakeAwsCredentialsFile('210987654321', rng);
    const pg = fake.fakePostgresUrl(rng);
    const planted: Record<string, string> = {
      'config/github.env': `GITHUB_TOKEN=${fake.fakeGithubClassicPat(rng)}\nGH_FINE=${fake.fakeGithubFineGrainedPat(rng)}\n`,
      'config/aws.ini': aws.text,
      'config/slack.yaml': `bot_token: ${fake.fakeSlackBotToken(rng)}\n`,
      'config/stripe.json': JSON.stringify({ stripe: fake.fakeStripeLiveKey(rng), openai: fake.fakeOpenAiKey(rng) }),
      'config/db.properties': `spring.datasource.url=${pg.url}\n`,
      'config/id_rsa': fake.fakeRsaPrivateKeyPem(),
      'config/session.txt': `Authorization: Bearer ${fake.fakeJwt({ sub: 'svc-billing' }, rng)}\n`,
      'config/app.env': `DB_PASSWORD=${fake.fakePassword(rng)}\nNPM_TOKEN=${fake.fakeNpmToken(rng)}\n`,
    };
    for (const [path, content] of Object.entries(planted)) writeFileSync(join(tree, path), content);

    // 3. A malformed export that contains a token (parsers love to quote the bad input back).
    const exportToken = fake.fakeGithubClassicPat(rng);
    writeFileSync(join(dir, 'broken-export.json'), `{"UserDetailList": [{"UserName": ${exportToken}`);
    writeFileSync(join(dir, 'broken-report.csv'), `user,arn,user_creation_time,password_enabled\n${exportToken},broken`);

    // 4. A clone URL with a token in it, pointing at a closed loopback port.
    const urlToken = fake.fakeGithubClassicPat(rng);
    const urlPassword = fake.fakePassword(rng, 20);

    const secrets = [
      estate.awsSecretAccessKey,
      estate.githubToken,
      aws.secret,
      pg.password,
      exportToken,
      urlToken,
      urlPassword,
      // the assigned values in the planted files (URLs excluded: their passwords are listed above)
      ...Object.values(planted).flatMap((text) => [...text.matchAll(/(?:=|: |Bearer )([^\s"]{16,})/g)].map((m) => m[1]!).filter((v) => !v.includes('://'))),
      ...[...planted['config/stripe.json']!.matchAll(/":"([^"]+)"/g)].map((m) => m[1]!),
      planted['config/id_rsa']!.split('\n')[3]!, // a line from the middle of the key body
    ];
    expect(secrets.length).toBeGreaterThan(12);

    const out = join(dir, 'out');
    const run = await runCli(
      [
        'scan',
        `git:${repo}`,
        `dir:${tree}`,
        'import:broken-export.json',
        'import:broken-report.csv',
        `git:http://x-access-token:${urlToken}@127.0.0.1:9/acme/api.git`,
        `git:http://deploy:${urlPassword}@127.0.0.1:9/acme/web.git`,
        '--out',
        out,
        '--verbose',
        '--fail-on',
        'none',
      ],
      { cwd: dir },
    );

    // The scan did find the planted secrets (so the absence below means something)...
    const report = readReport(out);
    const detectors = new Set(report.inventory.credentials.filter((c: any) => c.secret).map((c: any) => c.secret.detector));
    expect(detectors.size).toBeGreaterThanOrEqual(8);
    expect(report.findings.filter((f: any) => f.category === 'leaked-secret').length).toBeGreaterThanOrEqual(10);
    // ...and the broken inputs failed with clear errors rather than crashing the scan.
    expect(run.code).toBe(3);
    expect(report.sources.filter((s: any) => s.status === 'failed').length).toBeGreaterThanOrEqual(3);

    const outputs: Record<string, string> = { stdout: run.stdout, stderr: run.stderr };
    for (const file of filesUnder(out)) outputs[file] = readFileSync(file, 'utf8');
    for (const file of filesUnder(join(repo, '.git')).filter((f) => f.includes('nhiscan'))) outputs[file] = readFileSync(file, 'latin1');
    expect(Object.keys(outputs).length).toBeGreaterThanOrEqual(5);
    for (const [where, text] of Object.entries(outputs)) {
      expect(leakedIn(text, secrets), `secret material in ${where}`).toEqual([]);
    }
  });
});
