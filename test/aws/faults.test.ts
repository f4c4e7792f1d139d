/**
 * Calls that are never answered, or whose answer stops half-way: the live connector's per-request timeout
 * (settings.aws.requestTimeoutMs) turns each into a retried TimeoutError, and a call that keeps hanging
 * ends as a `partial` source naming the part, never as a scan that waits forever.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { awsConnector } from '../../connectors/aws/live/connector.js';
import { AwsEmulator, type EmulatorOptions } from '../../testkit/aws/server.js';
import { testContext } from '../support/context.js';
import { smallAccount } from './fixtures.js';

// Small enough to keep the suite fast, large enough that a loaded CI machine answers a healthy call in time.
const FAST = { reportPollMs: 5, maxAttempts: 3, requestTimeoutMs: 400 };
const savedEnv = { ...process.env };
let emulator: AwsEmulator | undefined;

async function startEmulator(options: Partial<EmulatorOptions>): Promise<AwsEmulator> {
  emulator = await new AwsEmulator({ accounts: [smallAccount()], ...options }).start();
  process.env.AWS_ENDPOINT_URL = emulator.url;
  return emulator;
}

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
  process.env = { ...savedEnv };
});

describe('aws live connector: hung and stalled calls', () => {
  it('times out a call that is never answered, retries it, and loses nothing', async () => {
    const em = await startEmulator({ faults: [{ action: 'GetAccountAuthorizationDetails', kind: 'hang', times: 1 }] });
    const result = await awsConnector.collect(testContext('aws', { options: FAST }));
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('ok');
    // The hung attempt (never answered: status 0), then the retry that succeeded.
    expect(em.log.filter((c) => c.action === 'GetAccountAuthorizationDetails').map((c) => c.status)).toEqual([0, 200]);
    expect(result.stats).toMatchObject({ users: 3, roles: 2, credentialReport: 1 });
    expect(result.credentials.length).toBe(4);
  });

  it('times out a response whose body stops half-way, and retries it', async () => {
    const em = await startEmulator({ faults: [{ action: 'ListAccessKeys', kind: 'stall', times: 1 }] });
    const result = await awsConnector.collect(testContext('aws', { options: FAST }));
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('ok');
    expect(em.count('ListAccessKeys')).toBe(3); // two key holders + the stalled attempt
    expect(result.credentials.length).toBe(4);
  });

  it('a call that keeps hanging ends the part after maxAttempts: partial source naming the part', async () => {
    const em = await startEmulator({ faults: [{ action: 'GetCredentialReport', kind: 'hang', times: Infinity }] });
    const result = await awsConnector.collect(testContext('aws', { options: { ...FAST, maxAttempts: 2 } }));
    expect(result.status).toBe('partial');
    expect(result.errors).toEqual([
      {
        part: 'credential-report',
        message: expect.stringMatching(
          /^GetCredentialReport failed after 2 attempt\(s\): TimeoutError: a request has exceeded the configured 400 ms requestTimeout/,
        ),
      },
    ]);
    expect(result.notCovered).toEqual([expect.objectContaining({ part: 'credential-report' })]);
    expect(em.count('GetCredentialReport')).toBe(2);
    // The rest of the account is still collected: the users' three keys through the per-user fallback
    // (the root key is known only from the report).
    expect(result.identities.some((i) => i.name === 'ci-deployer')).toBe(true);
    expect(result.credentials.map((c) => c.attributes.userName).sort()).toEqual(['alice', 'alice', 'ci-deployer']);
  });

  it('a user whose keys cannot be listed is named in notCovered, not only in errors', async () => {
    await startEmulator({ faults: [{ action: 'ListAccessKeys', kind: 'server-error', times: Infinity }] });
    const result = await awsConnector.collect(testContext('aws', { options: { ...FAST, maxAttempts: 1 } }));
    expect(result.status).toBe('partial');
    expect(result.errors?.map((e) => e.part).sort()).toEqual(['access-keys:alice', 'access-keys:ci-deployer']);
    expect(result.notCovered?.map((n) => n.part).sort()).toEqual(['access-keys:alice', 'access-keys:ci-deployer']);
    expect(result.notCovered?.[0]?.reason).toMatch(/access keys could not be listed \(ServiceUnavailable\)/);
  });

  it('a member account whose AssumeRole hangs is reported as that account, the others are scanned', async () => {
    const em = await startEmulator({
      accounts: [smallAccount('111111111111'), smallAccount('222222222222'), smallAccount('333333333333')],
      organization: [
        { Id: '111111111111', Name: 'management' },
        { Id: '222222222222', Name: 'prod' },
        { Id: '333333333333', Name: 'sandbox' },
      ],
    });
    // AssumeRole is made as the management account; the first one to arrive hangs on every attempt.
    em.addFault({ action: 'AssumeRole', kind: 'hang', times: 2 });
    const result = await awsConnector.collect(
      testContext('aws', { options: { ...FAST, maxAttempts: 2, accountConcurrency: 1, 'aws-org-role': 'OrganizationAccountAccessRole' } }),
    );
    expect(result.status).toBe('partial');
    expect(result.errors).toBeUndefined();
    expect(result.subSources?.find((s) => s.spec === 'account:222222222222')).toMatchObject({
      status: 'failed',
      errors: [{ part: 'account:222222222222', message: expect.stringMatching(/prod.*AssumeRole failed after 2 attempt\(s\): TimeoutError/) }],
    });
    expect(result.subSources?.filter((s) => s.status === 'ok').map((s) => s.spec)).toEqual(['account:111111111111', 'account:333333333333']);
    expect(new Set(result.identities.map((i) => i.scope))).toEqual(new Set(['111111111111', '333333333333']));
    expect(result.stats).toMatchObject({ accounts: 3, accountsScanned: 2, accountsFailed: 1 });
  });
});
