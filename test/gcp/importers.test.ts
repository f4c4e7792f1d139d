/**
 * Offline Google Cloud formats (Cloud Asset Inventory exports, gcloud output, nhiscan snapshots), what
 * they yield, how bad entries are named and skipped, and the join of a key leaked in code to its
 * live key through the whole CLI.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gcpImporters } from '../../connectors/gcp/importers.js';
import type { Importer } from '../../src/plugin.js';
import { fixtureGcpEstate, keyIdFor, estateAsSnapshot } from '../../testkit/gcp/estate.js';
import { assetExportLines, gcloudKeysList, gcloudServiceAccountsList } from '../../testkit/gcp/exports.js';
import { seededRsaPrivateKeyPem } from '../../testkit/gcp/seeded-rsa.js';
import { testContext } from '../support/context.js';
import { readReport, runCli, tempDir } from '../support/cli.js';

function importText(text: string, options: Record<string, unknown> = {}) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const input = { path: 'file.json', text, parsed };
  const importer = gcpImporters.find((i: Importer) => i.detect(input));
  if (!importer) return { importer: undefined, result: undefined };
  return {
    importer: importer.id,
    result: importer.read(input, testContext('import:file.json', { options })) as Awaited<ReturnType<Importer['read']>> & object,
  };
}

describe('gcp importers', () => {
  it('a Cloud Asset Inventory export yields the same inventory as the live collector (policies, keys, providers)', () => {
    const estate = fixtureGcpEstate();
    const { importer, result } = importText(assetExportLines(estate).join('\n'));
    expect(importer).toBe('gcp-cloud-asset-export');
    expect(result!.status).toBe('ok');
    const live = importText(JSON.stringify(estateAsSnapshot(estate))).result!;
    const ids = (r: typeof live) => [...r.identities, ...r.credentials].map((x) => x.id).sort();
    expect(ids(result!)).toEqual(ids(live));
    const deployer = result!.identities.find((i) => i.name.startsWith('deployer@'))!;
    expect(deployer.attributes.policyBindings).toEqual([
      expect.objectContaining({ role: 'roles/iam.serviceAccountUser', member: 'serviceAccount:ci-runner@prod-payments.iam.gserviceaccount.com' }),
      expect.objectContaining({ role: 'roles/iam.serviceAccountKeyAdmin' }),
    ]);
    // An export holds no usage: not judged as unused, and said so.
    expect(deployer.attributes.usageTracked).toBe(false);
    expect(result!.notCovered?.some((n) => n.part === 'activity')).toBe(true);
  });

  it('bad lines of an export are named by line and skipped; the rest is imported', () => {
    const lines = assetExportLines(fixtureGcpEstate());
    lines.splice(
      3,
      0,
      '{"name": "//iam.googleapis.com/x", "asset_type": 7}',
      'not json',
      '{"name": "//iam.googleapis.com/projects/nope/serviceAccounts/1", "asset_type": "iam.googleapis.com/ServiceAccount", "resource": {"data": {"email": "x@nope.iam.gserviceaccount.com"}}, "ancestors": ["projects/999"]}',
    );
    const { result } = importText(lines.join('\n'));
    expect(result!.status).toBe('partial');
    expect(result!.errors?.map((e) => [e.part, e.message])).toEqual([
      ['file.json:4', 'skipped line: no asset type'],
      ['file.json:5', 'skipped line: not JSON'],
      ['file.json:6', 'skipped asset: its project is not in the export'],
    ]);
    expect(result!.identities.filter((i) => i.kind === 'gcp-service-account')).toHaveLength(6);
  });

  it('gcloud service-accounts list and keys list, each contributing only what it holds', () => {
    const prod = fixtureGcpEstate().projects[0]!;
    const accounts = importText(JSON.stringify(gcloudServiceAccountsList(prod)));
    expect(accounts.importer).toBe('gcloud-service-accounts-list');
    expect(accounts.result!.identities).toHaveLength(5);
    expect(accounts.result!.credentials).toHaveLength(0);
    const keys = importText(JSON.stringify(gcloudKeysList(prod)));
    expect(keys.importer).toBe('gcloud-service-account-keys-list');
    expect(keys.result!.identities).toHaveLength(0);
    expect(keys.result!.credentials.map((c) => c.identityId)).toContain('gcp:gcp-service-account:deployer@prod-payments.iam.gserviceaccount.com');
  });

  it('a key list entry of the wrong type is skipped and named, never guessed', () => {
    const prod = fixtureGcpEstate().projects[0]!;
    const list = gcloudKeysList(prod) as Record<string, unknown>[];
    list[1] = { ...list[1], disabled: 'false' };
    list.push(null as never);
    const { result } = importText(JSON.stringify(list.filter((x) => x !== null)));
    expect(result!.status).toBe('partial');
    expect(result!.errors?.[0]).toEqual({ part: 'file.json[1]', message: expect.stringMatching(/^skipped key: disabled: /) });
  });

  it('gcloud projects get-iam-policy needs --gcp-project, then yields the project policy', () => {
    const policy = JSON.stringify(fixtureGcpEstate().projects[0]!.policy);
    expect(() => importText(policy)).toThrow(/pass --gcp-project PROJECT_ID/);
    const { importer, result } = importText(policy, { 'gcp-project': 'prod-payments' });
    expect(importer).toBe('gcloud-projects-get-iam-policy');
    // editor x2, viewer x2, token creator x1: one entry per (role, member).
    expect(result!.identities[0]!.attributes.bindings).toHaveLength(5);
  });

  it("end to end: a key committed in a directory is matched to its live key, with the account's roles", async () => {
    const dir = tempDir();
    const estate = fixtureGcpEstate();
    const prod = estate.projects[0]!;
    writeFileSync(join(dir, 'assets.ndjson'), assetExportLines(estate).join('\n'));
    mkdirSync(join(dir, 'repo'));
    writeFileSync(
      join(dir, 'repo', 'deploy-key.json'),
      JSON.stringify(
        {
          type: 'service_account',
          project_id: 'prod-payments',
          private_key_id: keyIdFor('deployer-1'),
          private_key: seededRsaPrivateKeyPem('test:deployer-1', 1024),
          client_email: prod.serviceAccounts[0]!.account.email,
          client_id: prod.serviceAccounts[0]!.account.uniqueId,
          token_uri: 'https://oauth2.googleapis.com/token',
        },
        null,
        2,
      ),
    );
    const out = join(dir, 'out');
    const run = await runCli([
      'scan',
      `dir:${join(dir, 'repo')}`,
      `import:${join(dir, 'assets.ndjson')}`,
      '--out',
      out,
      '--format',
      'json',
      '--now',
      '2026-12-06T00:00:00Z',
      '--fail-on',
      'none',
      '--quiet',
    ]);
    expect(run.code).toBe(0);
    const report = readReport(out);
    const leak = report.findings.find((f: { ruleId: string }) => f.ruleId === 'gcp-leaked-key-active');
    expect(leak).toMatchObject({
      severity: 'critical',
      evidence: { serviceAccount: 'deployer@prod-payments.iam.gserviceaccount.com', adminRoles: ['roles/editor on projects/prod-payments'] },
    });
    expect(JSON.stringify(report)).not.toContain('PRIVATE KEY-----\\nMII');
  }, 120_000);
});
