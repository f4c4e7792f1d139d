import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsConnector } from '../../connectors/aws/live/connector.js';
import type { AwsAccessKeyAttributes, AwsPrincipalAttributes } from '../../src/model/aws.js';
import { AwsEmulator, type EmulatorOptions } from '../../testkit/aws/server.js';
import { testContext } from '../support/context.js';
import { smallAccount } from './fixtures.js';

const READ_ONLY = /^(Get|List|Describe)[A-Za-z]+$|^GenerateCredentialReport$|^AssumeRole$/;
const FAST = { reportPollMs: 5, maxAttempts: 4 };

let emulator: AwsEmulator;
const savedEnv = { ...process.env };

async function startEmulator(options: Partial<EmulatorOptions> = {}) {
  emulator = await new AwsEmulator({ accounts: [smallAccount()], ...options }).start();
  // The real SDK clients reach the emulator only through the SDK's standard endpoint variables.
  process.env.AWS_ENDPOINT_URL = emulator.url;
  return emulator;
}

beforeEach(() => {
  delete process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_ENDPOINT_URL_IAM;
  delete process.env.AWS_ENDPOINT_URL_STS;
});
afterEach(async () => {
  await emulator?.stop();
  process.env = { ...savedEnv };
});

describe('aws live connector against the IAM emulator', () => {
  it('collects users, roles, policies, the credential report and key ids with bulk calls only', async () => {
    await startEmulator({ reportPolls: 2 });
    const result = await awsConnector.collect(testContext('aws', { options: { ...FAST, pageSize: 3 } }));
    expect(result.status).toBe('ok');
    expect(result.errors).toEqual([]);

    const byName = new Map(result.identities.map((i) => [i.name, i]));
    const ci = byName.get('ci-deployer')!;
    expect(ci.id).toBe('aws:iam-user:arn:aws:iam::123456789012:user/ci/ci-deployer');
    expect(ci.tags).toEqual({ owner: 'platform@example.com' });
    const ciAttrs = ci.attributes as unknown as AwsPrincipalAttributes;
    expect(ciAttrs.policies.map((p) => `${p.type}:${p.name}`).sort()).toEqual([
      'group-inline:deny-billing',
      'group-managed:AdministratorAccess',
      'managed:deploy',
    ]);
    // The default version's document, not the older one.
    expect(JSON.stringify(ciAttrs.policies.find((p) => p.name === 'deploy')!.document)).toContain('iam:PassRole');
    expect(ciAttrs.policies.find((p) => p.name === 'AdministratorAccess')).toMatchObject({ awsManaged: true, group: 'admins' });
    expect(ciAttrs.passwordEnabled).toBe(false);

    const alice = byName.get('alice')!.attributes as unknown as AwsPrincipalAttributes;
    expect(alice).toMatchObject({ passwordEnabled: true, mfaActive: true, permissionsBoundary: { arn: 'arn:aws:iam::123456789012:policy/boundary' } });
    expect(alice.permissionsBoundary!.document).toBeDefined();

    const app = byName.get('app')!;
    expect(app.lastUsedAt).toBe('2026-11-01T00:00:00.000Z');
    expect((app.attributes as unknown as AwsPrincipalAttributes).trustPolicy).toMatchObject({ Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }] });
    expect((app.attributes as unknown as AwsPrincipalAttributes).instanceProfiles).toEqual(['app-profile']);
    expect(byName.get('AWSServiceRoleForSupport')!.attributes).toMatchObject({ providerManaged: true, serviceLinked: true });
    expect(result.identities.find((i) => i.kind === 'iam-root')).toMatchObject({
      nativeId: 'arn:aws:iam::123456789012:root',
      attributes: { providerManaged: true },
    });

    // Keys carry their real ids (ListAccessKeys for holders only) and the report's usage facts.
    const ciKey = result.credentials.find((c) => c.identityId === ci.id)!;
    expect(ciKey.nativeId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(ciKey).toMatchObject({ status: 'active', createdAt: '2024-01-15T10:00:00.000Z', lastUsedAt: '2026-11-27T08:00:00.000Z' });
    expect(ciKey.attributes as unknown as AwsAccessKeyAttributes).toMatchObject({
      accessKeyId: ciKey.nativeId,
      userName: 'ci-deployer',
      lastUsedService: 'lambda',
      supportsExpiry: false,
    });
    const aliceKeys = result.credentials.filter((c) => c.attributes.userName === 'alice');
    expect(aliceKeys.map((k) => k.status).sort()).toEqual(['active', 'inactive']);
    const rootKey = result.credentials.find((c) => c.attributes.isRoot)!;
    expect(rootKey).toMatchObject({ nativeId: 'arn:aws:iam::123456789012:root#key1', status: 'active', attributes: { idFromReportSlot: true } });

    // Fewest calls: no per-user policy calls; ListAccessKeys only for the two key holders.
    expect([...new Set(emulator.log.filter((c) => c.service === 'iam' || c.service === 'sts').map((c) => c.action))].sort()).toEqual([
      'GenerateCredentialReport',
      'GetAccountAuthorizationDetails',
      'GetCallerIdentity',
      'GetCredentialReport',
      'ListAccessKeys',
    ]);
    expect(emulator.count('ListAccessKeys')).toBe(2);
    expect(emulator.count('GenerateCredentialReport')).toBe(3);
    expect(emulator.count('GetAccountAuthorizationDetails')).toBe(3); // 9 entries, pageSize 3: Marker paging
    expect(result.stats).toMatchObject({ users: 3, roles: 2, groups: 1, policies: 3, credentialReport: 1 });
    for (const action of emulator.actions()) expect(action).toMatch(READ_ONLY);
  });

  it('honours AWS_ENDPOINT_URL_IAM / _STS per service and an explicit endpoint setting', async () => {
    await startEmulator();
    delete process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL_IAM = emulator.url;
    process.env.AWS_ENDPOINT_URL_STS = emulator.url;
    // Only IAM and STS are redirected here: the regional resource services would go to AWS itself.
    const viaEnv = await awsConnector.collect(testContext('aws', { options: { ...FAST, resourcePolicies: false } }));
    expect(viaEnv.status).toBe('ok');
    delete process.env.AWS_ENDPOINT_URL_IAM;
    delete process.env.AWS_ENDPOINT_URL_STS;
    const before = emulator.count();
    const viaSetting = await awsConnector.collect(testContext('aws', { options: { ...FAST, endpoint: emulator.url } }));
    expect(viaSetting.identities.length).toBe(viaEnv.identities.length);
    expect(emulator.count()).toBeGreaterThan(before);
  });

  it('retries throttling, 5xx, resets and malformed XML, then succeeds', async () => {
    await startEmulator({
      faults: [
        { action: 'GetAccountAuthorizationDetails', kind: 'throttle', times: 1, retryAfter: 0 },
        { action: 'GetAccountAuthorizationDetails', kind: 'server-error', times: 1 },
        { action: 'GetAccountAuthorizationDetails', kind: 'malformed', times: 1 },
        { action: 'GetCredentialReport', kind: 'server-error', times: 1 },
        { action: 'ListAccessKeys', kind: 'reset', times: 1 },
      ],
    });
    const result = await awsConnector.collect(testContext('aws', { options: FAST }));
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('ok');
    expect(result.stats!.apiAttempts).toBeGreaterThan(result.stats!.apiCalls!);
    expect(emulator.log.filter((c) => c.action === 'GetAccountAuthorizationDetails').map((c) => c.status)).toEqual([400, 503, 200, 200]);
    expect(result.credentials.length).toBe(4);
  });

  it('reports a call that keeps failing as a partial source naming the part', async () => {
    await startEmulator({ faults: [{ action: 'GetCredentialReport', kind: 'server-error', times: Infinity }] });
    const result = await awsConnector.collect(testContext('aws', { options: { ...FAST, maxAttempts: 2 } }));
    expect(result.status).toBe('partial');
    expect(result.errors).toEqual([
      expect.objectContaining({
        part: 'credential-report',
        message: expect.stringMatching(/GetCredentialReport failed after 2 attempt\(s\): ServiceUnavailable/),
      }),
    ]);
    expect(result.notCovered).toEqual([expect.objectContaining({ part: 'credential-report' })]);
    // Fallback: keys listed per user with last use per key; users and roles still collected.
    expect(emulator.count('ListAccessKeys')).toBe(3);
    expect(emulator.count('GetAccessKeyLastUsed')).toBe(3);
    const ciKey = result.credentials.find((c) => c.attributes.userName === 'ci-deployer')!;
    expect(ciKey).toMatchObject({ lastUsedAt: '2026-11-27T08:00:00.000Z', attributes: { lastUsedService: 'lambda' } });
    expect(result.identities.some((i) => i.name === 'app')).toBe(true);
  });

  it('falls back to ListAccessKeys when the credential report is denied, and keeps going when a page keeps failing', async () => {
    await startEmulator({ reportDenied: true, faults: [{ action: 'ListAccessKeys', kind: 'access-denied', times: 1 }] });
    const result = await awsConnector.collect(testContext('aws', { options: FAST }));
    expect(result.status).toBe('partial');
    expect(result.errors!.map((e) => e.part).sort()).toEqual(['access-keys:ci-deployer', 'credential-report']);
    expect(result.errors!.find((e) => e.part === 'credential-report')!.message).toMatch(/AccessDenied/);
  });

  it('fails clearly when nothing can be read', async () => {
    await startEmulator({ reportDenied: true, faults: [{ action: 'GetAccountAuthorizationDetails', kind: 'access-denied', times: Infinity }] });
    await expect(awsConnector.collect(testContext('aws', { options: FAST }))).rejects.toThrow(/neither the authorization details nor the credential report/);
  });
});
