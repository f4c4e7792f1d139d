import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESTATE_AUTHORS, estateAwsKeyId, estateSecrets, generatePaymentsRepo } from '../../examples/estate/generate.js';
import { collectGit } from '../../connectors/git/connector.js';
import leakedSecret from '../../rules/secrets/leaked-secret.js';
import { secretHash } from '../../src/redact.js';
import { testContext } from '../support/context.js';

describe('sample estate repository (payments-api)', () => {
  it('is deterministic and holds the AWS, Entra and GCP leaks at HEAD, one in history only, and no flagged placeholder', async () => {
    const base = mkdtempSync(join(tmpdir(), 'nhiscan-estate-'));
    const first = generatePaymentsRepo(join(base, 'a'));
    const second = generatePaymentsRepo(join(base, 'b'));
    expect(second.commits).toEqual(first.commits); // same commit ids: fixed authors, dates and seeds

    const context = testContext(`git:${first.path}`, { options: { 'no-cache': true, threads: '1' } });
    const result = await collectGit(context);
    const { awsSecretAccessKey, githubToken, entraClientSecret } = estateSecrets();
    expect(result.credentials.map((c) => c.secret!.detector).sort()).toEqual([
      'aws-access-key-pair',
      'azure-ad-client-secret',
      'gcp-service-account-key',
      'github-pat-classic',
    ]);
    const hashes = result.credentials.map((c) => c.secret!.hash);
    for (const value of [awsSecretAccessKey, githubToken, entraClientSecret]) expect(hashes).toContain(secretHash(value));
    // The Entra client secret carries its hint and the ids beside it, for the correlation with its application.
    const entra = result.credentials.find((c) => c.secret!.hash === secretHash(entraClientSecret))!;
    expect(entra.secret!.decoded).toMatchObject({
      hint: 'Pq8',
      clientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tenantId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(entra.locations).toEqual([expect.objectContaining({ path: 'deploy/azure.env', presentAtHead: true })]);

    const aws = result.credentials.find((c) => c.secret!.hash === secretHash(awsSecretAccessKey))!;
    // The key id encodes its account like a real one: the leak names the account even before any AWS scan.
    expect(aws.secret!.decoded).toMatchObject({ accessKeyId: estateAwsKeyId(), awsAccountId: '123456789012' });
    expect(aws.locations).toEqual([
      expect.objectContaining({ path: 'deploy/ci.env', author: ESTATE_AUTHORS.bob.name, commit: first.commits[1], presentAtHead: true }),
    ]);
    const token = result.credentials.find((c) => c.secret!.hash === secretHash(githubToken))!;
    expect(token.locations).toEqual([
      expect.objectContaining({ path: 'scripts/release.sh', author: ESTATE_AUTHORS.alice.name, commit: first.commits[2], presentAtHead: false }),
    ]);

    const findings = leakedSecret.check({ identities: [], credentials: result.credentials }, leakedSecret.meta.optionsSchema!.parse({}), {
      now: context.now,
      config: context.config,
    });
    expect(findings.map((f) => [f.location!.path, f.severity]).sort()).toEqual([
      ['deploy/azure.env', expect.any(String)],
      ['deploy/ci.env', 'critical'],
      ['deploy/gcp-deployer.json', expect.any(String)],
      ['scripts/release.sh', 'high'], // validated, only in history: still at the gate,
    ]);
  });
});
