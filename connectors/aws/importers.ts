/**
 * Offline exports, recognised from their content (`import:FILE`):
 * - `aws iam get-account-authorization-details` JSON, whole or one page of a multi-page run;
 * - the credential report CSV (or the `aws iam get-credential-report` JSON wrapping it in base64);
 * - `aws iam list-access-keys` JSON (one user's, an array of them, or a flat key list), which supplies
 *   the key ids the credential report lacks;
 * - an organisation export: service control policies, their targets and the accounts' parents;
 * - `aws secretsmanager list-secrets` JSON: secrets as credentials (with their resource policies when added);
 * - `aws kms describe-key` JSON: customer-managed keys as credentials (with key policy and rotation when added);
 * - S3 bucket, Lambda function, SNS topic and SQS queue policies (policy-importers.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CollectResult, Importer } from '../../src/plugin.js';
import { toIsoDate } from '../../src/time.js';
import { accountOfDetails, detailCounts, isAuthDetails, isTruncatedPage, mergeAuthDetails, type RawAuthDetails } from './auth-details.js';
import { decodeReportContent, looksLikeCredentialReport, missingKeyColumns, parseCredentialReport } from './credential-report.js';
import { buildAccount, listedKey, type KeyMetadata } from './inventory.js';
import { accountIdFromAccessKeyId } from './key-id.js';
import { buildOrganization, isOrganizationExport, type RawOrgExport } from './organization.js';
import { accessKeyEntry, checkAuthDetails, ImportCheck, secretEntry } from './export-check.js';
import { kmsKeyCredential, secretCredential, type RawKmsKey, type RawSecret } from './resource-policies.js';
import { tooDeepAt } from '../../src/import-check.js';
import { withHumanPeople } from './people.js';
import { settingsAccount } from './import-settings.js';
import { resourcePolicyImporters } from './policy-importers.js';

/** Sibling files larger than this are not opened when looking for the other pages of an export. */
const MAX_SIBLING_BYTES = 256 * 1024 * 1024;

export const authorizationDetailsImporter: Importer = {
  id: 'aws-authorization-details',
  description: 'output of `aws iam get-account-authorization-details` (JSON; several pages may be imported)',
  detect: ({ parsed }) => isAuthDetails(parsed),
  read({ path, parsed }, ctx) {
    const check = new ImportCheck(basename(path));
    const page = checkAuthDetails(parsed as RawAuthDetails, check);
    const accountId = accountOfDetails(page) ?? settingsAccount(ctx);
    const notCovered: NonNullable<CollectResult['notCovered']> = check.notCovered;
    // A page of a multi-page export may reference policies and groups defined on another page: those
    // are looked up in the other pages of the same account next to it. Only this page's principals are
    // emitted, so importing every page yields each principal once.
    let siblings: RawAuthDetails[] = [];
    if (isTruncatedPage(page) || referencesMissingDefinitions(page)) {
      siblings = findSiblingPages(path, accountId).map((sibling) => checkAuthDetails(sibling.page, check, sibling.name));
      if (isTruncatedPage(page) && siblings.length === 0) {
        notCovered.push({
          part: 'authorization-details',
          reason: `${basename(path)} is one page of a truncated export (IsTruncated/NextToken) and no other page was found next to it`,
        });
      }
    }
    const catalogue = mergeAuthDetails([page, ...siblings]);
    const details: RawAuthDetails = { ...catalogue, UserDetailList: page.UserDetailList ?? [], RoleDetailList: page.RoleDetailList ?? [] };
    const built = buildAccount({ accountId, details }, ctx.source.spec);
    return {
      identities: built.identities,
      credentials: built.credentials,
      errors: built.problems,
      notCovered,
      stats: {
        ...detailCounts(page),
        otherPagesRead: siblings.length,
      },
    };
  },
};

export const credentialReportImporter: Importer = {
  id: 'aws-credential-report',
  description: 'the IAM credential report (CSV as AWS returns it once base64-decoded, or `aws iam get-credential-report` JSON)',
  detect: ({ text, parsed }) => (parsed === undefined ? looksLikeCredentialReport(text) : isReportJson(parsed)),
  read({ text, parsed }, ctx) {
    const csv = parsed === undefined ? text : decodeReportContent((parsed as { Content: string }).Content);
    const skipped: string[] = [];
    const report = parseCredentialReport(csv, skipped);
    const built = buildAccount({ report, accountId: settingsAccount(ctx) }, ctx.source.spec);
    const notCovered = skipped.map((reason) => ({ part: 'credential-report', reason: `${reason}; row skipped` }));
    const missing = missingKeyColumns(csv);
    if (missing.length) {
      const slots = [1, 2].filter((slot) => missing.some((c) => c.startsWith(`access_key_${slot}_`)));
      notCovered.push({
        part: 'credential-report',
        reason: `the report lacks ${missing.join(', ')}: those facts of access key ${slots.join(' and ')} are not covered (a second key may exist unseen)`,
      });
    }
    return withHumanPeople(
      {
        identities: built.identities,
        credentials: built.credentials,
        errors: built.problems,
        notCovered,
        stats: { users: report.filter((r) => !r.isRoot).length, accessKeys: built.credentials.length },
      },
      ctx.source.spec,
    );
  },
};

export const listAccessKeysImporter: Importer = {
  id: 'aws-list-access-keys',
  description: 'output of `aws iam list-access-keys` (one user, an array of outputs, or a flat AccessKeyMetadata list)',
  detect: ({ parsed }) => keyEntries(parsed) !== undefined,
  read({ path, parsed }, ctx) {
    const fallbackAccount = settingsAccount(ctx) ?? '';
    const check = new ImportCheck(basename(path));
    const credentials = check.entries(keyEntries(parsed), accessKeyEntry, '$.AccessKeyMetadata', { Status: 'Active' }).map((entry) => {
      const key: KeyMetadata = {
        accessKeyId: entry.AccessKeyId,
        userName: entry.UserName,
        status: entry.Status ?? 'Active',
        createDate: toIsoDate(entry.CreateDate ?? undefined),
      };
      // No ARN here: the account comes from the key id itself; the user is linked by name (see key-reconciler).
      return listedKey(key, undefined, accountIdFromAccessKeyId(key.accessKeyId) ?? fallbackAccount, ctx.source.spec);
    });
    return { identities: [], credentials, notCovered: check.notCovered, stats: { accessKeys: credentials.length } };
  },
};

export const organizationImporter: Importer = {
  id: 'aws-organization',
  description:
    "service control policies with their targets and the accounts' places in the organisation (`describe-policy` + `list-targets-for-policy` + `list-parents` outputs in one JSON; see docs/aws.md)",
  detect: ({ parsed }) => isOrganizationExport(parsed),
  read({ parsed }, ctx) {
    const built = buildOrganization(parsed as RawOrgExport, ctx.source.spec);
    return {
      identities: [],
      credentials: [],
      resources: built.resources,
      errors: built.problems,
      stats: {
        serviceControlPolicies: built.resources.filter((r) => r.kind === 'aws-scp').length,
        accounts: built.resources.filter((r) => r.kind === 'aws-account').length,
      },
    };
  },
};

export const listSecretsImporter: Importer = {
  id: 'aws-list-secrets',
  description:
    'output of `aws secretsmanager list-secrets` (secrets as credentials: rotation, last rotated, last accessed, tags); an entry may carry the `ResourcePolicy` string of `get-resource-policy` (see docs/aws.md)',
  detect: ({ parsed }) => secretEntries(parsed) !== undefined,
  read({ path, parsed }, ctx) {
    const check = new ImportCheck(basename(path));
    // A wrong-typed field skips its entry, named; `RotationEnabled` of the wrong type reads as not rotated, the riskier reading.
    const entries = check.entries(secretEntries(parsed), secretEntry, '$.SecretList', { RotationEnabled: false });
    const credentials = entries.flatMap((entry) => secretCredential(entry, entry.ResourcePolicy, ctx.source.spec) ?? []);
    return { identities: [], credentials, notCovered: check.notCovered, stats: { secrets: credentials.length } };
  },
};

export const describeKeyImporter: Importer = {
  id: 'aws-kms-describe-key',
  description:
    'output of `aws kms describe-key` (one, or an array): customer-managed keys as credentials; an entry may carry `Policy` (`get-key-policy`) and `KeyRotationEnabled` (`get-key-rotation-status`) (see docs/aws.md)',
  detect: ({ parsed }) => keyMetadataEntries(parsed) !== undefined,
  read({ parsed }, ctx) {
    const entries = keyMetadataEntries(parsed)!;
    const credentials = entries.flatMap((entry) => {
      if (entry.KeyMetadata?.KeyManager === 'AWS') return []; // the service's own key, its policy is AWS's
      const key = kmsKeyCredential(
        { metadata: entry.KeyMetadata!, rotationEnabled: entry.KeyRotationEnabled, tags: entry.Tags },
        entry.Policy,
        ctx.source.spec,
      );
      return key ? [key] : [];
    });
    return { identities: [], credentials, stats: { kmsKeys: credentials.length } };
  },
};

// The organisation export first: its `Policies` key would otherwise look like an authorization-details page.
export const awsImporters: Importer[] = [
  organizationImporter,
  authorizationDetailsImporter,
  credentialReportImporter,
  listAccessKeysImporter,
  listSecretsImporter,
  describeKeyImporter,
  ...resourcePolicyImporters,
];

type KeyEntry = { KeyMetadata?: RawKmsKey['metadata']; Policy?: unknown; KeyRotationEnabled?: boolean; Tags?: RawKmsKey['tags'] };

function keyMetadataEntries(parsed: unknown): KeyEntry[] | undefined {
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const isEntry = (e: unknown) => !!e && typeof e === 'object' && !!(e as KeyEntry).KeyMetadata && typeof (e as KeyEntry).KeyMetadata!.Arn === 'string';
  return list.length > 0 && list.every(isEntry) ? (list as KeyEntry[]) : undefined;
}

function secretEntries(parsed: unknown): (RawSecret & { ResourcePolicy?: unknown })[] | undefined {
  const list = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as { SecretList?: unknown }).SecretList : undefined;
  if (!Array.isArray(list) || !list.some((e) => !!e && typeof e === 'object' && 'ARN' in e)) return undefined;
  return list as (RawSecret & { ResourcePolicy?: unknown })[];
}

interface RawKeyEntry {
  AccessKeyId?: unknown;
  UserName?: unknown;
  Status?: unknown;
  CreateDate?: string | number;
}

/** The key entries of any of the three shapes; a null among the entries is kept, to be reported by the check. */
function keyEntries(parsed: unknown): RawKeyEntry[] | undefined {
  const isEntry = (e: unknown) => e === null || (typeof e === 'object' && 'AccessKeyId' in e && 'UserName' in e);
  const fromOutput = (o: unknown) =>
    o && typeof o === 'object' && Array.isArray((o as { AccessKeyMetadata?: unknown }).AccessKeyMetadata)
      ? (o as { AccessKeyMetadata: RawKeyEntry[] }).AccessKeyMetadata
      : undefined;
  const single = fromOutput(parsed);
  if (single) return single;
  if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
  if (parsed.every(isEntry) && parsed.some((e) => e !== null)) return parsed as RawKeyEntry[];
  const outputs = parsed.map(fromOutput);
  return outputs.every((o) => o !== undefined) ? (outputs.flat() as RawKeyEntry[]) : undefined;
}

function isReportJson(parsed: unknown): boolean {
  const p = parsed as { Content?: unknown; ReportFormat?: unknown } | undefined;
  return !!p && typeof p === 'object' && typeof p.Content === 'string' && (p.ReportFormat === undefined || p.ReportFormat === 'text/csv');
}

/** Every definition (policy ARN, group name) a page references but does not contain. */
function referencesMissingDefinitions(page: RawAuthDetails): boolean {
  const policies = new Set((page.Policies ?? []).map((p) => p.Arn));
  const groups = new Set((page.GroupDetailList ?? []).map((g) => g.GroupName));
  const principals = [...(page.UserDetailList ?? []), ...(page.RoleDetailList ?? []), ...(page.GroupDetailList ?? [])];
  for (const p of principals) {
    for (const a of p.AttachedManagedPolicies ?? []) if (a.PolicyArn && !policies.has(a.PolicyArn)) return true;
    const boundary = (p as { PermissionsBoundary?: { PermissionsBoundaryArn?: string } }).PermissionsBoundary?.PermissionsBoundaryArn;
    if (boundary && !policies.has(boundary)) return true;
  }
  return (page.UserDetailList ?? []).some((u) => (u.GroupList ?? []).some((g) => !groups.has(g)));
}

/** Other authorization-details JSON files of the same account in the same directory. */
function findSiblingPages(path: string, accountId: string | undefined): { name: string; page: RawAuthDetails }[] {
  const dir = dirname(path);
  const pages: { name: string; page: RawAuthDetails }[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    if (file === path || !name.toLowerCase().endsWith('.json')) continue;
    try {
      if (!statSync(file).isFile() || statSync(file).size > MAX_SIBLING_BYTES) continue;
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (tooDeepAt(parsed)) continue; // not read: the page named on the command line says what it misses
      if (isAuthDetails(parsed) && (!accountId || !accountOfDetails(parsed) || accountOfDetails(parsed) === accountId)) pages.push({ name, page: parsed });
    } catch {
      // not JSON, unreadable: not a page of this export
    }
  }
  return pages;
}
