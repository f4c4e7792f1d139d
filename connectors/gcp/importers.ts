/**
 * `import:FILE` for Google Cloud, each format detected by its content:
 * - an nhiscan snapshot (`{"nhiscanSnapshot": "gcp"}`, written by settings.gcp.snapshotOut);
 * - a Cloud Asset Inventory export (newline-delimited JSON, content types `resource` and `iam-policy`);
 * - `gcloud iam service-accounts list --format=json`;
 * - `gcloud iam service-accounts keys list --format=json` (project and account read from each key's name);
 * - `gcloud projects get-iam-policy PROJECT --format=json` (project from `--gcp-project`).
 *
 * Each file contributes only what it holds (a key list adds keys, not half-known accounts); the engine
 * merges items by id and the GCP enricher joins them, so several files of one estate combine.
 * Entries are validated: a bad one is skipped and named, and the source becomes `partial`.
 */
import { z } from 'zod';
import type { CollectResult, ConnectorContext, Importer, SourceError } from '../../src/plugin.js';
import type { Identity } from '../../src/model/index.js';
import { flattenPolicy, keyCredential, normaliseGcpSnapshot, parseKeyName, policyHolderIdentity, projectFacts, serviceAccountIdentity } from './normalise.js';
import type { GcpProjectSnapshot, WireServiceAccount, WireServiceAccountKey } from './snapshot.js';
import { assetSnapshot, isAssetExport } from './asset-export.js';
import { accountSchema, checkGcpSnapshot, checkPolicy, keySchema } from './snapshot-check.js';
import { ImportCheck } from '../../src/import-check.js';

const snapshotSchema = z
  .object({
    nhiscanSnapshot: z.literal('gcp'),
    version: z.literal(1),
    projects: z.array(z.object({ project: z.object({ projectId: z.string().min(1) }).passthrough() }).passthrough()),
  })
  .passthrough();

const IMPORT_OPTIONS = (ctx: ConnectorContext) => ({ now: ctx.now, source: ctx.source.spec });

/** Validates each entry; the bad ones are named and skipped. */
function validEntries<T>(entries: unknown[], schema: z.ZodType<T>, path: string, what: string, errors: SourceError[]): T[] {
  const out: T[] = [];
  entries.forEach((entry, i) => {
    const result = schema.safeParse(entry);
    if (result.success) out.push(result.data);
    else
      errors.push({
        part: `${path}[${i}]`,
        message: `skipped ${what}: ${result.error.issues.map((x) => `${x.path.join('.') || '(entry)'}: ${x.message}`).join('; ')}`,
      });
  });
  return out;
}

/** What a check skipped or read the riskier way, as source errors (they make the source partial). */
function checkErrors(check: ImportCheck): SourceError[] {
  return check.notCovered.map((n) => ({ part: n.part, message: n.reason }));
}

function resultOf(
  identities: Identity[],
  credentials: CollectResult['credentials'],
  errors: SourceError[],
  notCovered: { part: string; reason: string }[],
): CollectResult {
  return {
    identities,
    credentials,
    status: errors.length ? 'partial' : 'ok',
    errors,
    notCovered,
    stats: {
      serviceAccounts: identities.filter((i) => i.kind === 'gcp-service-account').length,
      keys: credentials.length,
      policies: identities.filter((i) => i.kind === 'gcp-policy-holder').length,
    },
  };
}

const USAGE_NOT_EXPORTED = { part: 'activity', reason: 'an export holds no Policy Analyzer activity: service accounts and keys are not judged as unused' };

export const gcpSnapshotImporter: Importer = {
  id: 'gcp-snapshot',
  description: 'a Google Cloud snapshot (nhiscanSnapshot: "gcp"), e.g. written by settings.gcp.snapshotOut',
  detect: ({ parsed }) => (parsed as { nhiscanSnapshot?: unknown } | undefined)?.nhiscanSnapshot === 'gcp',
  read({ path, parsed }, ctx) {
    const result = snapshotSchema.safeParse(parsed);
    if (!result.success)
      throw new Error(`${path}: not a valid Google Cloud snapshot: ${result.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    const check = new ImportCheck(path);
    const snapshot = checkGcpSnapshot(result.data as Record<string, unknown>, check);
    const { identities, credentials, notCovered } = normaliseGcpSnapshot(snapshot, IMPORT_OPTIONS(ctx));
    return resultOf(identities, credentials, checkErrors(check), [...notCovered, ...check.notCovered]);
  },
};

export const gcpAssetExportImporter: Importer = {
  id: 'gcp-cloud-asset-export',
  description: 'a Cloud Asset Inventory export (newline-delimited JSON; content types resource and iam-policy)',
  detect: ({ text }) => isAssetExport(text),
  read({ path, text }, ctx) {
    const { snapshot: assembled, errors } = assetSnapshot(text, path);
    // The assets' data went into the snapshot as exported: it is checked like a snapshot's.
    const check = new ImportCheck(path);
    const snapshot = checkGcpSnapshot(assembled as unknown as Record<string, unknown>, check);
    const { identities, credentials, notCovered } = normaliseGcpSnapshot(snapshot, IMPORT_OPTIONS(ctx));
    return resultOf(identities, credentials, [...errors, ...checkErrors(check)], [...notCovered, ...check.notCovered]);
  },
};

const isArrayOf = (parsed: unknown, test: (x: Record<string, unknown>) => boolean) =>
  Array.isArray(parsed) && parsed.length > 0 && parsed.every((x) => x !== null && typeof x === 'object' && test(x as Record<string, unknown>));

export const gcloudServiceAccountsImporter: Importer = {
  id: 'gcloud-service-accounts-list',
  description: '`gcloud iam service-accounts list --format=json`',
  detect: ({ parsed }) => isArrayOf(parsed, (x) => typeof x.email === 'string' && ('uniqueId' in x || 'oauth2ClientId' in x) && !('keyType' in x)),
  read({ path, parsed }, ctx) {
    const errors: SourceError[] = [];
    const accounts = validEntries(parsed as unknown[], accountSchema, path, 'service account', errors);
    const identities = accounts.map((account) => {
      const projectId = account.projectId ?? account.email.split('@')[1]!.split('.')[0]!;
      const project: GcpProjectSnapshot = { project: { projectId } };
      return serviceAccountIdentity(projectFacts(project, IMPORT_OPTIONS(ctx)), account as WireServiceAccount, undefined);
    });
    return resultOf(identities, [], errors, [USAGE_NOT_EXPORTED]);
  },
};

export const gcloudKeysImporter: Importer = {
  id: 'gcloud-service-account-keys-list',
  description: '`gcloud iam service-accounts keys list --iam-account=… --format=json`',
  detect: ({ parsed }) =>
    isArrayOf(parsed, (x) => typeof x.name === 'string' && /\/serviceAccounts\/[^/]+\/keys\//.test(x.name) && ('keyType' in x || 'validAfterTime' in x)),
  read({ path, parsed }, ctx) {
    const errors: SourceError[] = [];
    const keys = validEntries(parsed as unknown[], keySchema, path, 'key', errors);
    const credentials = keys.flatMap((key, i) => {
      const { projectId, account } = parseKeyName(key.name);
      if (!projectId || !account || !account.includes('@')) {
        errors.push({
          part: `${path}[${i}]`,
          message: 'skipped key: its name does not say which account it belongs to (projects/P/serviceAccounts/EMAIL/keys/ID)',
        });
        return [];
      }
      // gcloud writes `projects/-/…` when the project was inferred; the account's email names it.
      const project = projectId === '-' ? account.split('@')[1]!.split('.')[0]! : projectId;
      return [keyCredential(projectFacts({ project: { projectId: project } }, IMPORT_OPTIONS(ctx)), account, key as WireServiceAccountKey)];
    });
    return resultOf([], credentials, errors, [USAGE_NOT_EXPORTED]);
  },
};

export const gcloudProjectPolicyImporter: Importer = {
  id: 'gcloud-projects-get-iam-policy',
  description: '`gcloud projects get-iam-policy PROJECT --format=json` (project from --gcp-project)',
  detect: ({ parsed }) => {
    const p = parsed as Record<string, unknown> | undefined;
    return !!p && typeof p === 'object' && !Array.isArray(p) && Array.isArray(p.bindings) && ('etag' in p || 'version' in p) && !('nhiscanSnapshot' in p);
  },
  read({ path, parsed }, ctx) {
    const projectId = ctx.options['gcp-project'];
    if (typeof projectId !== 'string' || !projectId) {
      throw new Error(`${path}: a project IAM policy does not name its project: pass --gcp-project PROJECT_ID`);
    }
    const check = new ImportCheck(path);
    const policy = checkPolicy(check, parsed, '$') ?? {};
    const holder = policyHolderIdentity(
      {
        scope: 'project',
        resourceName: `projects/${projectId}`,
        projectId,
        bindings: flattenPolicy(policy, 'project', `projects/${projectId}`),
      },
      ctx.source.spec,
    );
    return resultOf([holder], [], checkErrors(check), check.notCovered);
  },
};

export const gcpImporters: Importer[] = [
  gcpSnapshotImporter,
  gcpAssetExportImporter,
  gcloudServiceAccountsImporter,
  gcloudKeysImporter,
  gcloudProjectPolicyImporter,
];
