import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { awsConnector } from '../../connectors/aws/live/connector.js';
import { makeAccessKeyId } from '../../connectors/aws/key-id.js';
import { AwsEmulator } from '../../testkit/aws/server.js';
import { testContext } from '../support/context.js';
import { awsPlugin } from '../../connectors/aws/plugin.js';
import { runScan } from '../../src/engine.js';
import { Registry } from '../../src/registry.js';
import { defaultConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
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
    emulator = await new AwsEmulator({
      accounts: [smallAccount('111111111111'), smallAccount('222222222222')],
      keyAccounts: { [profileKey]: '222222222222' },
    }).start();
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

  it('--aws-org-role assumes the role in every account; each account is its own sub-source, a refused one failed', async () => {
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
    // The source itself keeps organization-wide counts; everything about one account lives in its sub-source.
    expect(result.errors).toBeUndefined();
    expect(result.stats).toMatchObject({ accounts: 3, accountsScanned: 2, accountsFailed: 1 });
    expect(result.subSources!.map((s) => [s.spec, s.status])).toEqual([
      ['account:111111111111', 'ok'],
      ['account:222222222222', 'ok'],
      ['account:333333333333', 'failed'],
    ]);
    expect(result.subSources![1]!.stats).toMatchObject({ users: 3 });
    expect(result.subSources![2]).toMatchObject({
      errors: [{ part: 'account:333333333333', message: expect.stringMatching(/sandbox.*AssumeRole failed.*AccessDenied/) }],
      notCovered: [{ part: 'account:333333333333', reason: 'account could not be scanned' }],
    });
    expect(new Set(result.identities.map((i) => i.scope))).toEqual(new Set(['111111111111', '222222222222']));
    const assumed = emulator.log
      .filter((c) => c.action === 'AssumeRole')
      .map((c) => c.params.RoleArn)
      .sort();
    expect(assumed).toEqual(['arn:aws:iam::222222222222:role/OrganizationAccountAccessRole', 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole']);
    // Member accounts were read with the assumed credentials.
    expect(emulator.log.some((c) => c.account === '222222222222' && c.action === 'GetAccountAuthorizationDetails')).toBe(true);
    expect(emulator.count('ListAccounts')).toBe(2); // paged (2 per page)
    for (const action of emulator.actions()) expect(action).toMatch(/^(Get|List|Describe)|^GenerateCredentialReport$|^AssumeRole$/);
  });

  it('the engine reports each account of the organization as its own source entry after the parent', async () => {
    emulator = await new AwsEmulator({
      accounts: [smallAccount('111111111111'), smallAccount('222222222222'), smallAccount('333333333333')],
      organization: [
        { Id: '111111111111', Name: 'management' },
        { Id: '222222222222', Name: 'prod' },
        { Id: '333333333333', Name: 'sandbox' },
      ],
      denyAssumeRoleInto: ['222222222222'],
    }).start();
    process.env.AWS_ENDPOINT_URL = emulator.url;
    const result = await runScan({
      registry: new Registry().register(awsPlugin),
      config: defaultConfig(),
      sources: ['aws'],
      options: { ...FAST, 'aws-org-role': 'OrganizationAccountAccessRole' },
      log: silentLogger,
    });
    expect(result.sources.map((s) => [s.spec, s.status, s.parent])).toEqual([
      ['aws', 'partial', undefined],
      ['aws#account:111111111111', 'ok', 'aws'],
      ['aws#account:222222222222', 'failed', 'aws'],
      ['aws#account:333333333333', 'ok', 'aws'],
    ]);
    expect(result.sources[2]!.errors).toEqual([{ part: 'account:222222222222', message: expect.stringMatching(/prod.*AccessDenied/) }]);
    expect(result.sources[3]!.stats).toMatchObject({ users: 3 });
    expect(result.inventory.identities.every((i) => i.source === 'aws')).toBe(true);
  });

  it('when every account is refused the source fails, and each account still says why', async () => {
    emulator = await new AwsEmulator({
      accounts: [smallAccount('111111111111'), smallAccount('222222222222'), smallAccount('333333333333')],
      organization: [
        { Id: '222222222222', Name: 'prod' },
        { Id: '333333333333', Name: 'sandbox' },
      ],
      denyAssumeRoleInto: ['222222222222', '333333333333'],
    }).start();
    process.env.AWS_ENDPOINT_URL = emulator.url;
    const result = await awsConnector.collect(testContext('aws', { options: { ...FAST, 'aws-org-role': 'OrganizationAccountAccessRole' } }));
    expect(result.status).toBe('failed');
    expect(result.errors).toEqual([{ part: 'organization', message: expect.stringMatching(/none of the organization's 2 account/) }]);
    expect(result.subSources!.map((s) => [s.spec, s.status])).toEqual([
      ['account:222222222222', 'failed'],
      ['account:333333333333', 'failed'],
    ]);
  });
});
