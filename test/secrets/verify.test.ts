/**
 * --verify: off by default; when asked, each verifiable credential goes once to its provider's identity
 * endpoint (loopback emulators here: testkit/verify for the HTTP providers, testkit/aws for STS through the
 * real AWS SDK client), the answer is recorded per credential and moves the finding's severity.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectDir } from '../../connectors/dir/connector.js';
import leakedSecret from '../../rules/secrets/leaked-secret.js';
import { secretHash } from '../../src/redact.js';
import { testContext } from '../support/context.js';
import { AwsEmulator } from '../../testkit/aws/server.js';
import { VerifyEmulator } from '../../testkit/verify/server.js';
import { fakeAwsKeyId, fakeAwsSecret, fakeEntraClientSecret, fakeGithubToken } from '../../testkit/seeded-tokens.js';
import { fakeGoogleApiKey, fakeNpmToken, fakeSlackBotToken, Rng } from '../../testkit/fake-tokens.js';

const rng = new Rng(11);
const liveGithub = fakeGithubToken('verify-live');
const revokedGithub = fakeGithubToken('verify-revoked');
const slack = fakeSlackBotToken(rng);
const npm = fakeNpmToken(rng);
const google = fakeGoogleApiKey(rng);
const awsKeyId = fakeAwsKeyId('verify-aws', '210987654321');
const awsSecret = fakeAwsSecret('verify-aws');
const revokedKeyId = fakeAwsKeyId('verify-aws-revoked', '210987654321');
const revokedSecret = fakeAwsSecret('verify-aws-revoked');
const entra = fakeEntraClientSecret('verify-entra', 'Ab1');
const TENANT = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const CLIENT = '11111111-2222-4333-8444-555555555555';

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nhiscan-verify-'));
  const files: Record<string, string> = {
    'deploy/ci.env': `GITHUB_TOKEN=${liveGithub}\nSLACK_BOT_TOKEN=${slack}\n`,
    'old/github.env': `GH_TOKEN=${revokedGithub}\n`,
    'ops/.npmrc.env': `NPM_TOKEN=${npm}\n`,
    'web/maps.js': `const key = "${google}";\n`,
    'aws/credentials': `[default]\naws_access_key_id = ${awsKeyId}\naws_secret_access_key = ${awsSecret}\n`,
    'aws/old-credentials': `[old]\naws_access_key_id = ${revokedKeyId}\naws_secret_access_key = ${revokedSecret}\n`,
    'azure/app.env': `AZURE_TENANT_ID=${TENANT}\nAZURE_CLIENT_ID=${CLIENT}\nAZURE_CLIENT_SECRET=${entra}\n`,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
});

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  for (const emulator of running.splice(0)) await emulator.stop();
});

async function emulators(faults: ConstructorParameters<typeof VerifyEmulator>[0]['faults'] = []) {
  const http = await new VerifyEmulator({ live: [liveGithub, slack, npm, entra], faults }).start();
  const aws = await new AwsEmulator({
    accounts: [{ accountId: '210987654321', users: [], roles: [], groups: [], policies: [] } as never],
    keyAccounts: { [awsKeyId]: '210987654321' },
    rejectUnknownKeys: true,
  }).start();
  running.push(http, aws);
  const endpoints = Object.fromEntries(['github', 'gitlab', 'slack', 'stripe', 'openai', 'sendgrid', 'npm', 'google', 'azure'].map((id) => [id, http.url]));
  return { http, aws, endpoints: { ...endpoints, aws: aws.url } };
}

const scan = (options: Record<string, unknown>, verify: Record<string, unknown> = {}) =>
  collectDir(testContext(`dir:${root}`, { options: { threads: '1', ...options }, config: { settings: { secrets: { verify } } } as never }));

const byHash = (result: Awaited<ReturnType<typeof scan>>, value: string) => result.credentials.find((c) => c.secret?.hash === secretHash(value))!;

describe('--verify', () => {
  it('never calls a provider unless asked', async () => {
    const { http, aws, endpoints } = await emulators();
    const result = await scan({}, { endpoints });
    expect(http.calls).toEqual([]);
    expect(aws.log).toEqual([]);
    expect(byHash(result, liveGithub).attributes.verification).toBeUndefined();
  });

  it('records live / revoked per credential, with the identity, and moves severity', async () => {
    const { http, aws, endpoints } = await emulators();
    const result = await scan({ verify: true }, { endpoints, minIntervalMs: 0 });
    const state = (value: string) => byHash(result, value).attributes.verification;
    expect(state(liveGithub)).toBe('live');
    expect(state(revokedGithub)).toBe('revoked');
    expect(state(slack)).toBe('live');
    expect(state(npm)).toBe('live');
    expect(state(google)).toBe('revoked');
    expect(state(entra)).toBe('live');
    expect(state(awsSecret)).toBe('live');
    expect(state(revokedSecret)).toBe('revoked');
    // A live AWS key names its account and principal: the IAM inventory joins on them.
    const awsCredential = byHash(result, awsSecret);
    expect(awsCredential.attributes.verifiedIdentity).toMatchObject({ account: '210987654321', arn: 'arn:aws:iam::210987654321:user/nhiscan' });
    expect(awsCredential.secret!.decoded).toMatchObject({ awsAccountId: '210987654321', principalArn: 'arn:aws:iam::210987654321:user/nhiscan' });
    expect(byHash(result, liveGithub).attributes.verifiedIdentity).toEqual({ login: 'octo-bot' });

    // One call per credential, only to identity endpoints, and read-only STS.
    expect(http.calls.map((c) => `${c.method} ${c.path}`).sort()).toEqual(
      ['GET /-/whoami', 'GET /user', 'GET /user', 'GET /v1beta/models', 'POST /api/auth.test', `POST /${TENANT}/oauth2/v2.0/token`].sort(),
    );
    expect(aws.log.map((c) => `${c.service}:${c.action}:${c.status}`).sort()).toEqual(['sts:GetCallerIdentity:200', 'sts:GetCallerIdentity:403']);
    expect(result.stats).toMatchObject({ verified: 8, verifiedLive: 5 });

    const options = leakedSecret.meta.optionsSchema!.parse({});
    const findings = leakedSecret.check({ identities: [], credentials: result.credentials }, options, { now: new Date(), config: {} as never });
    const severityOf = (value: string) => findings.find((f) => f.evidence?.hash === secretHash(value))!;
    expect(severityOf(revokedGithub).severity).toBe('low');
    expect(severityOf(revokedGithub).evidence).toMatchObject({ verification: 'revoked', confidence: 'validated' });
    expect(severityOf(liveGithub).severity).toBe('critical');
    expect(severityOf(liveGithub).message).toContain('verified live');
  });

  it('pauses between calls to one provider, and a hung or throttled endpoint leaves the credential unknown', async () => {
    const { http, endpoints } = await emulators([
      { path: '/user', kind: 'hang' },
      { path: '/api/auth.test', kind: 'throttle' },
    ]);
    // A timeout long enough that a loaded machine still answers the throttled endpoint within it.
    const result = await scan({ verify: true }, { endpoints, timeoutMs: 1000, minIntervalMs: 150 });
    expect(byHash(result, liveGithub).attributes).toMatchObject({ verification: 'unknown', verificationDetail: 'no answer within 1000 ms' });
    expect(byHash(result, slack).attributes).toMatchObject({ verification: 'unknown', verificationDetail: 'HTTP 429' });
    const github = http.calls.filter((c) => c.path === '/user').map((c) => c.at);
    expect(github).toHaveLength(2);
    // The second call waits for the first one's timeout and the pause (a little slack: timers may fire a millisecond early).
    expect(github[1]! - github[0]!).toBeGreaterThanOrEqual(990);
  });
});
