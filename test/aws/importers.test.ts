import { findImporter } from '../../src/engine.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsImporters } from '../../connectors/aws/importers.js';
import { awsKeyReconciler } from '../../connectors/aws/key-reconciler.js';
import type { AwsPrincipalAttributes } from '../../src/model/aws.js';
import type { CollectResult } from '../../src/plugin.js';
import { mergeInventories } from '../../src/engine.js';
import { defaultConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { authorizationDetailsExport, credentialReportCsv, listAccessKeysExport, type ExportStyle } from '../../testkit/aws/exports.js';
import { testContext } from '../support/context.js';
import { smallAccount } from './fixtures.js';

const account = smallAccount();

/** Reads a file the way the engine does for `import:FILE`: first importer whose detect says yes. */
async function importFile(path: string, text: string): Promise<CollectResult & { importer: string }> {
  const { importer, input } = findImporter(awsImporters, path, text);
  if (!importer) throw new Error(`no importer for ${path}`);
  return { ...(await importer.read(input, testContext(`import:${path}`))), importer: importer.id };
}

function writeTemp(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nhiscan-aws-import-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function principals(result: CollectResult) {
  return Object.fromEntries(result.identities.map((i) => [i.name, i.attributes as unknown as AwsPrincipalAttributes]));
}

describe('aws importers', () => {
  const styles: [string, ExportStyle][] = [
    ['CLI output (decoded documents, +00:00 dates)', {}],
    ['URL-encoded documents, Z dates', { documents: 'url-encoded', dates: 'zulu' }],
    ['JSON-string documents, epoch dates', { documents: 'json-string', dates: 'epoch' }],
  ];
  for (const [name, style] of styles) {
    it(`reads get-account-authorization-details: ${name}`, async () => {
      const [page] = authorizationDetailsExport(account, style);
      const dir = writeTemp({ 'auth.json': JSON.stringify(page, null, 2) });
      const result = await importFile(join(dir, 'auth.json'), JSON.stringify(page));
      expect(result.importer).toBe('aws-authorization-details');
      expect(result.errors).toEqual([]);
      const p = principals(result);
      expect(p['ci-deployer']!.policies.map((x) => x.name).sort()).toEqual(['AdministratorAccess', 'deny-billing', 'deploy']);
      expect(p['app']!.trustPolicy).toMatchObject({ Statement: [{ Action: 'sts:AssumeRole' }] });
      const app = result.identities.find((i) => i.name === 'app')!;
      expect(app.lastUsedAt).toBe('2026-11-01T00:00:00.000Z');
      expect(app.createdAt).toBe('2020-01-01T00:00:00.000Z');
      expect(app.id).toBe('aws:iam-role:arn:aws:iam::123456789012:role/app');
    });
  }

  for (const token of ['Marker', 'NextToken'] as const) {
    it(`merges a multi-page export (${token}) imported as several files: each principal once, policies resolved across pages`, async () => {
      const pages = authorizationDetailsExport(account, {}, { pageSize: 2, token });
      expect(pages.length).toBeGreaterThan(3);
      const files = Object.fromEntries(pages.map((p, i) => [`page-${i + 1}.json`, JSON.stringify(p)]));
      const dir = writeTemp(files);
      const results = await Promise.all(Object.entries(files).map(([n, t]) => importFile(join(dir, n), t)));
      const merged = mergeInventories(results);
      expect(merged.identities.map((i) => i.name).sort()).toEqual(['AWSServiceRoleForSupport', 'alice', 'app', 'ci-deployer', 'no-keys']);
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      const ci = merged.identities.find((i) => i.name === 'ci-deployer')!.attributes as unknown as AwsPrincipalAttributes;
      // Policies and the group are defined on later pages than the user.
      expect(ci.policies.every((x) => !x.unresolved)).toBe(true);
      expect(ci.policies.map((x) => x.type).sort()).toEqual(['group-inline', 'group-managed', 'managed']);
    });
  }

  it('a lone truncated page is partial and names what is missing', async () => {
    const [first] = authorizationDetailsExport(account, {}, { pageSize: 2, token: 'Marker' });
    const dir = writeTemp({ 'only.json': JSON.stringify(first) });
    const result = await importFile(join(dir, 'only.json'), JSON.stringify(first));
    expect(result.notCovered).toEqual([expect.objectContaining({ part: 'authorization-details', reason: expect.stringMatching(/truncated/) })]);
    expect(result.errors!.map((e) => e.part)).toContain('group:admins');
    const ci = principals(result)['ci-deployer']!;
    expect(ci.policies.find((x) => x.name === 'deploy')).toMatchObject({ unresolved: true, document: { Statement: [] } });
  });

  it('reads the credential report CSV: root keys, password, MFA, both key slots', async () => {
    const csv = credentialReportCsv(account);
    const result = await importFile('/tmp/report.csv', csv);
    expect(result.importer).toBe('aws-credential-report');
    const root = result.identities.find((i) => i.kind === 'iam-root')!;
    expect(root).toMatchObject({ id: 'aws:iam-root:arn:aws:iam::123456789012:root', attributes: { providerManaged: true, mfaActive: true } });
    const rootKey = result.credentials.find((c) => c.identityId === root.id)!;
    expect(rootKey).toMatchObject({
      id: 'aws:aws-access-key:arn:aws:iam::123456789012:root#key1',
      status: 'active',
      createdAt: '2017-03-03T00:00:00.000Z',
      attributes: { isRoot: true, accessKeyId: '', idFromReportSlot: true },
    });
    const alice = result.identities.find((i) => i.name === 'alice')!;
    expect(alice.attributes).toMatchObject({ passwordEnabled: true, mfaActive: true, passwordLastUsed: '2026-11-20T00:00:00.000Z' });
    expect(alice.attributes).not.toHaveProperty('policies');
    expect(
      result.credentials
        .filter((c) => c.identityId === alice.id)
        .map((c) => `${c.nativeId.split('#')[1]}:${c.status}`)
        .sort(),
    ).toEqual(['key1:active', 'key2:inactive']);
    // The base64 JSON of `aws iam get-credential-report` is the same report.
    const json = JSON.stringify({ Content: Buffer.from(csv).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2026-11-28T12:00:00+00:00' });
    const viaJson = await importFile('/tmp/report.json', json);
    expect(viaJson.credentials.map((c) => c.id)).toEqual(result.credentials.map((c) => c.id));
  });

  it('rejects a CSV that is not a credential report with a clear message', async () => {
    const input = { path: '/tmp/x.csv', text: 'a,b,c\n1,2,3\n', parsed: undefined };
    expect(awsImporters.some((i) => i.detect(input))).toBe(false);
  });

  it('auth details + credential report + list-access-keys imported separately merge into one account with real key ids', async () => {
    const [details] = authorizationDetailsExport(account);
    const dir = writeTemp({});
    const report = await importFile(join(dir, 'report.csv'), credentialReportCsv(account));
    const auth = await importFile(join(dir, 'auth.json'), JSON.stringify(details));
    const keys = await importFile(join(dir, 'keys.json'), JSON.stringify(listAccessKeysExport(account)));
    expect(keys.importer).toBe('aws-list-access-keys');
    // Report first: its policy-less user view must not hide the authorization details' policies.
    const inventory = mergeInventories([report, auth, keys]);
    await awsKeyReconciler.enrich(inventory, { config: defaultConfig(), now: new Date('2026-11-29T00:00:00Z'), log: silentLogger });
    const ci = inventory.identities.find((i) => i.name === 'ci-deployer')!;
    expect((ci.attributes as unknown as AwsPrincipalAttributes).policies).toHaveLength(3);
    expect(ci.attributes).toMatchObject({ passwordEnabled: false, mfaActive: false });
    const ciKeys = inventory.credentials.filter((c) => c.identityId === ci.id);
    const realId = account.users.get('ci-deployer')!.Keys[0]!.AccessKeyId;
    expect(ciKeys).toEqual([
      expect.objectContaining({
        id: `aws:aws-access-key:${realId}`,
        lastUsedAt: '2026-11-27T08:00:00.000Z',
        attributes: expect.objectContaining({ slot: 1, lastUsedService: 'lambda', accountId: '123456789012' }),
      }),
    ]);
    // alice: two keys, both folded; root key stays slot-only (root keys are never listed).
    expect(inventory.credentials.filter((c) => c.attributes.idFromReportSlot).map((c) => c.nativeId)).toEqual(['arn:aws:iam::123456789012:root#key1']);
    expect(inventory.credentials).toHaveLength(4);
  });
});
