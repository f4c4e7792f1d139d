/**
 * `import:FILE` for Entra data, detected by content:
 * - an nhiscan Entra snapshot (`{"nhiscanSnapshot": "entra"}`, e.g. written by settings.entra.snapshotOut);
 * - the JSON `az ad app list --all` or `az ad sp list --all` print (arrays of Graph objects);
 * - a raw Graph list response (`{"value": [...]}`) of applications or service principals.
 * Exports carry no owners, federated credentials, assignments or sign-ins: those parts are reported
 * as not covered, and the rules that need them do not judge (never "no owner" for "not exported").
 */
import type { CollectResult, ConnectorContext, Importer } from '../../src/plugin.js';
import { MICROSOFT_TENANT_IDS } from '../../src/model/entra.js';
import { ImportCheck } from '../../src/import-check.js';
import { normaliseEntraSnapshot } from './normalise.js';
import { checkEntraApplication, checkEntraServicePrincipal, checkEntraSnapshot } from './snapshot-check.js';
import { emptyEntraSnapshot, ENTRA_SNAPSHOT_VERSION, isEntraSnapshot, type EntraSnapshot, type GraphServicePrincipal } from './snapshot.js';

type ListKind = 'applications' | 'servicePrincipals';

function listItems(parsed: unknown): unknown[] | undefined {
  if (Array.isArray(parsed)) return parsed;
  const value = (parsed as { value?: unknown })?.value;
  return parsed && typeof parsed === 'object' && Array.isArray(value) ? value : undefined;
}

/** What a list holds, judged on its first object: service principals have a type, applications a sign-in audience and manifest. */
export function entraListKind(parsed: unknown): ListKind | undefined {
  const first = listItems(parsed)?.[0] as Record<string, unknown> | undefined;
  if (!first || typeof first !== 'object' || typeof first.appId !== 'string' || typeof first.id !== 'string') return undefined;
  if (typeof first.servicePrincipalType === 'string') return 'servicePrincipals';
  if ('requiredResourceAccess' in first || ('signInAudience' in first && 'passwordCredentials' in first && !('appOwnerOrganizationId' in first)))
    return 'applications';
  return undefined;
}

/** The scanned tenant of an `az ad sp list`: the organisation owning most non-Microsoft apps (its own). */
function guessTenant(sps: GraphServicePrincipal[]): string | undefined {
  const counts = new Map<string, number>();
  for (const sp of sps) {
    const org = sp.appOwnerOrganizationId?.toLowerCase();
    if (org && !MICROSOFT_TENANT_IDS.has(org) && sp.servicePrincipalType === 'Application') counts.set(org, (counts.get(org) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function snapshotFromList(kind: ListKind, items: unknown[], path: string, check: ImportCheck): EntraSnapshot {
  const snapshot = emptyEntraSnapshot();
  if (kind === 'applications') {
    const apps = items.flatMap((item, i) => checkEntraApplication(check, item, `$[${i}]`) ?? []);
    // An export lists objects only: relations stay unknown (null), not empty.
    snapshot.applications = apps.map((a) => ({ ...a, owners: null, federatedIdentityCredentials: null }));
    snapshot.notCovered.push({
      part: `${path}: owners, federated credentials`,
      reason: 'an application list export has no owners or federated credentials (use the live entra source or its snapshot)',
    });
  } else {
    const sps = items.flatMap((item, i) => checkEntraServicePrincipal(check, item, `$[${i}]`) ?? []);
    snapshot.servicePrincipals = sps.map((s) => ({ ...s, owners: null, appRoleAssignments: null }));
    snapshot.tenantId = guessTenant(snapshot.servicePrincipals);
    snapshot.notCovered.push({
      part: `${path}: owners, permissions, sign-ins`,
      reason:
        'a service principal list export has no owners, app role assignments, directory roles or sign-in activity (use the live entra source or its snapshot)',
    });
  }
  return snapshot;
}

function validateSnapshot(parsed: EntraSnapshot, path: string, check: ImportCheck): EntraSnapshot {
  if (parsed.version !== ENTRA_SNAPSHOT_VERSION)
    throw new Error(`${path}: unsupported Entra snapshot version ${String(parsed.version)} (expected ${ENTRA_SNAPSHOT_VERSION})`);
  return { ...emptyEntraSnapshot(), ...checkEntraSnapshot(parsed as unknown as Record<string, unknown>, check) };
}

/** Graph returns `secretText` only at creation; should an export carry one, it is dropped before anything reads it. */
function dropSecretTexts(snapshot: EntraSnapshot): void {
  for (const obj of [...snapshot.applications, ...snapshot.servicePrincipals]) {
    for (const c of obj.passwordCredentials ?? []) delete (c as { secretText?: unknown }).secretText;
  }
}

function result(snapshot: EntraSnapshot, ctx: ConnectorContext): CollectResult {
  const { identities, credentials, people, notCovered } = normaliseEntraSnapshot(snapshot, { now: ctx.now, source: ctx.source.spec });
  return {
    identities,
    credentials,
    ...(people.length ? { people } : {}),
    status: snapshot.notCovered.length ? 'partial' : 'ok',
    errors: snapshot.notCovered.map((n) => ({ part: n.part, message: n.reason })),
    notCovered,
    stats: {
      applications: snapshot.applications.length,
      servicePrincipals: snapshot.servicePrincipals.length,
      credentials: credentials.length,
      people: people.length,
    },
  };
}

export const entraImporter: Importer = {
  id: 'entra',
  description:
    'Microsoft Entra: an nhiscan snapshot (nhiscanSnapshot: "entra"), `az ad app list`/`az ad sp list` JSON, or a Graph {"value": [...]} list of applications or service principals',
  detect({ parsed }) {
    return isEntraSnapshot(parsed) || entraListKind(parsed) !== undefined;
  },
  read({ path, parsed }, ctx): CollectResult {
    // Every entry is checked against Graph's shape: what does not fit is named and skipped (partial).
    const check = new ImportCheck(path);
    const snapshot = isEntraSnapshot(parsed)
      ? validateSnapshot(parsed, path, check)
      : snapshotFromList(entraListKind(parsed)!, listItems(parsed)!, path, check);
    dropSecretTexts(snapshot);
    snapshot.notCovered.push(...check.notCovered);
    return result(snapshot, ctx);
  },
};
