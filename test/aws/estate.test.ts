import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Registry } from '../../src/registry.js';
import { corePlugin } from '../../src/core-plugin.js';
import { awsAnalysis, awsPlugin } from '../../connectors/aws/plugin.js';
import { gitPlugin } from '../../connectors/git/plugin.js';
import { accountIdFromAccessKeyId } from '../../connectors/aws/key-id.js';
import { decodeAwsKeyId } from '../../src/secrets/index.js';
import { generatePaymentsRepo } from '../../examples/estate/generate.js';
import { AWS_DOC_KEY_ID } from '../../testkit/fake-tokens.js';
import { runScan } from '../../src/engine.js';
import { defaultConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { ESTATE_AWS_ACCOUNT, ESTATE_AWS_KEY_ID, estateAccount } from '../../examples/estate/aws/generate.js';
import { authorizationDetailsExport, credentialReportCsv, listAccessKeysExport } from '../../testkit/aws/exports.js';

/** The aws plugin's enrichers and rules: a scan loads them when the inventory holds aws items. */
const awsAnalysisPlugin = await awsAnalysis.load();

const DIR = new URL('../../examples/estate/aws/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, DIR), 'utf8');

describe('sample estate: AWS account 123456789012', () => {
  it('the committed exports match their generator', () => {
    const account = estateAccount();
    expect(JSON.parse(read('authorization-details.json'))).toEqual(authorizationDetailsExport(account)[0]);
    expect(read('credential-report.csv')).toBe(credentialReportCsv(account));
    expect(JSON.parse(read('access-keys.json'))).toEqual(listAccessKeysExport(account));
    // Only key ids are committed, never a secret access key.
    expect(read('access-keys.json') + read('authorization-details.json')).not.toMatch(/SecretAccessKey|aws_secret/i);
  });

  it('imports into one account with the expected credential findings', async () => {
    const registry = new Registry().register(corePlugin).register(awsPlugin).register(awsAnalysisPlugin);
    const sources = ['authorization-details.json', 'credential-report.csv', 'access-keys.json'].map((f) => `import:${new URL(f, DIR).pathname}`);
    const result = await runScan({ registry, config: defaultConfig(), sources, now: new Date('2026-11-29T00:00:00Z'), log: silentLogger });
    expect(result.sources.map((s) => s.status)).toEqual(['ok', 'ok', 'ok']);
    const found = (rule: string) =>
      result.findings
        .filter((f) => f.ruleId === rule)
        .map((f) => f.resource.name.split('/')[0])
        .sort();
    expect(found('aws-root-access-key')).toEqual(['root']);
    expect(found('aws-access-key-not-rotated')).toEqual(['backup-agent', 'ci-deployer', 'legacy-etl', 'root']);
    expect(found('aws-access-key-unused')).toEqual(['backup-agent', 'legacy-etl', 'root']);
    expect(found('aws-user-multiple-active-keys')).toEqual(['legacy-etl']);
    expect(found('aws-user-console-and-keys')).toEqual(['jenkins']);
    expect(found('aws-role-unused')).toEqual(['analytics-vendor', 'lambda-admin-exec']);
    expect(found('missing-owner')).toContain('ci-deployer');
    const ciKey = result.inventory.credentials.find((c) => c.nativeId === ESTATE_AWS_KEY_ID)!;
    expect(ciKey).toMatchObject({
      identityId: 'aws:iam-user:arn:aws:iam::123456789012:user/ci/ci-deployer',
      status: 'active',
      attributes: { slot: 1, lastUsedService: 'cloudformation' },
    });
  });

  it('key ids decode to their account like real (post-2019) ones, in the importer and in the secrets engine alike', () => {
    const ids = (JSON.parse(read('access-keys.json')) as { AccessKeyMetadata: { AccessKeyId: string }[] }[]).flatMap((o) =>
      o.AccessKeyMetadata.map((k) => k.AccessKeyId),
    );
    expect(ids).toContain(ESTATE_AWS_KEY_ID);
    for (const id of ids) {
      expect(id[4]).toMatch(/[Q-Z2-7]/); // the top bit that says "this id encodes its account"
      expect(decodeAwsKeyId(id)?.accountId).toBe(ESTATE_AWS_ACCOUNT);
      expect(accountIdFromAccessKeyId(id)).toBe(ESTATE_AWS_ACCOUNT);
    }
    // A pre-2019 id (5th character A-P) encodes no account: neither decoder invents one.
    expect(decodeAwsKeyId(AWS_DOC_KEY_ID)?.accountId).toBeUndefined();
    expect(accountIdFromAccessKeyId(AWS_DOC_KEY_ID)).toBeUndefined();
  });

  it('the key leaked in the sample repository carries its decoded account and is matched to ci-deployer', async () => {
    const repo = generatePaymentsRepo(join(mkdtempSync(join(tmpdir(), 'nhiscan-estate-aws-')), 'payments-api'));
    const registry = new Registry().register(corePlugin).register(awsPlugin).register(awsAnalysisPlugin).register(gitPlugin);
    const imports = ['authorization-details.json', 'credential-report.csv', 'access-keys.json'].map((f) => `import:${new URL(f, DIR).pathname}`);
    const options = { 'no-cache': true, threads: '1' };
    const result = await runScan({
      registry,
      config: defaultConfig(),
      sources: [`git:${repo.path}`, ...imports],
      options,
      now: new Date('2026-11-29T00:00:00Z'),
      log: silentLogger,
    });
    const leaked = result.inventory.credentials.find((c) => c.kind === 'leaked-secret' && c.secret?.decoded?.accessKeyId === ESTATE_AWS_KEY_ID)!;
    expect(leaked.secret!.decoded).toMatchObject({ accessKeyId: ESTATE_AWS_KEY_ID, awsAccountId: ESTATE_AWS_ACCOUNT });
    expect(leaked.attributes).toMatchObject({ matchedCredentialId: `aws:aws-access-key:${ESTATE_AWS_KEY_ID}`, matchedIdentityName: 'ci-deployer' });
    expect(leaked.attributes.awsKeyNotFoundInScannedAccount).toBeUndefined();
  });
});
