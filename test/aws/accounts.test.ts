import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { awsConnector } from '../../connectors/aws/live/connector.js';
import { makeAccessKeyId } from '../../connectors/aws/key-id.js';
import { AwsEmulator } from '../emulators/aws/server.js';
import { testContext } from '../support/context.js';
import { smallAccount } from './fixtures.js';

const FAST = { reportPollMs: 5, maxAttempts: 2 };
const savedEnv = { ...process.env };
let emulator: AwsEmulator | undefined;

afterEach(async () => {
  await emulator?.stop();
  process.env = { ...savedEnv };
});

describe('several accounts', () => {
  it('aws:PROFILE reads the named profile (not the env keys) and scans that account', async () => {
    const profileKey = makeAccessKeyId('222222222222', 1);
    emulator = await new AwsEmulator({ accounts: [smallAccount('111111111111'), smallAccount('222222222222')], keyAccounts: { [profileKey]: '222222222222' } }).start();
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-aws-profile-'));
    writeFileSync(join(dir, 'credentials'), `[audit]\naws_access_key_id = ${profileKey}\naws_secret_access_key = test-only-not-a-secret\n`);
    writeFileSync(join(dir, 'config'), `[profile audit]\nregion = eu-west-1\n`);
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_ENDPOINT_URL = emulator.url;
    const result = await awsConnector.collect(testContext('aws:audit', { options: FAST }));
    expect(result.status).toBe('ok');
    expect(new Set(result.identities.map((i) => i.scope))).toEqual(new Set(['222222222222']));
    expect(emulator.log.every((c) => c.account === '222222222222')).toBe(true);
  });

  it('--aws-org-role assumes the role in every account; a refused account makes the source partial with an account:ID error', async () => {
    emulator = await new AwsEmulator({
      accounts: [smallAccount('111111111111'), smallAccount('222222222222'), smallAccount('333333333333')],
      organization: [
        { Id: '111111111111', Name: 'management' },
        { Id: '222222222222', Name: 'prod' },
        { Id: '333333333333', Name: 'sandbox' },
        { Id: '444444444444', Name: 'closed', Status: 'SUSPENDED' },
      ],
      denyAssumeRoleInto: ['333333333333'],
    }).start();
    process.env.AWS_ENDPOINT_URL = emulator.url;
    const result = await awsConnector.collect(testContext('aws', { options: { ...FAST, 'aws-org-role': 'OrganizationAccountAccessRole' } }));
    expect(result.status).toBe('partial');
    expect(result.errors).toEqual([{ part: 'account:333333333333', message: expect.stringMatching(/sandbox.*AssumeRole failed.*AccessDenied/) }]);
    expect(new Set(result.identities.map((i) => i.scope))).toEqual(new Set(['111111111111', '222222222222']));
    expect(result.stats).toMatchObject({ accounts: 3, accountsScanned: 2, accountsFailed: 1, 'account:222222222222/users': 3 });
    const assumed = emulator.log.filter((c) => c.action === 'AssumeRole').map((c) => c.params.RoleArn).sort();
    expect(assumed).toEqual(['arn:aws:iam::222222222222:role/OrganizationAccountAccessRole', 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole']);
    // Member accounts were read with the assumed credentials.
    expect(emulator.log.some((c) => c.account === '222222222222' && c.action === 'GetAccountAuthorizationDetails')).toBe(true);
    expect(emulator.count('ListAccounts')).toBe(2); // paged (2 per page)
    for (const action of emulator.actions()) expect(action).toMatch(/^(Get|List)|^GenerateCredentialReport$|^AssumeRole$/);
  });
});
