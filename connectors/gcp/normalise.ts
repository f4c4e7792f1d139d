/**
 * Turns a Google Cloud snapshot (live or imported) into inventory, recording each fact where it lives:
 * organizations, folders and projects with their IAM policies, service accounts with their own policy,
 * their keys, workload identity providers. Joining them (which roles an account holds, who can act as
 * it) is the GCP enricher's job (src/gcp-iam), after every source is merged. Nothing here judges.
 */
import { makeId, type Credential, type Identity } from '../../src/model/index.js';
import {
  KIND_GCP_KEY,
  KIND_GCP_POLICY_HOLDER,
  KIND_GCP_SERVICE_ACCOUNT,
  KIND_GCP_WIF_PROVIDER,
  type GcpKeyAttributes,
  type GcpPolicyHolderAttributes,
  type GcpPolicyScope,
  type GcpRoleBinding,
  type GcpServiceAccountAttributes,
  type GcpUnneededRole,
  type GcpWifProviderAttributes,
} from '../../src/model/gcp.js';
import type {
  GcpProjectSnapshot,
  GcpSnapshot,
  WireActivity,
  WirePolicy,
  WireRecommendation,
  WireServiceAccount,
  WireServiceAccountKey,
  WireWifPool,
} from './snapshot.js';

export interface NormaliseOptions {
  now: Date;
  source: string;
}

export interface NormalisedGcp {
  identities: Identity[];
  credentials: Credential[];
  notCovered: { part: string; reason: string }[];
}

/** A key valid until 9999-12-31 never expires (Google's own marker for "no expiry"). */
const NEVER = /^9999-/;

export function flattenPolicy(policy: WirePolicy | undefined, scope: GcpPolicyScope, resource: string): GcpRoleBinding[] {
  const out: GcpRoleBinding[] = [];
  for (const binding of policy?.bindings ?? []) {
    for (const member of binding.members ?? []) {
      const condition = binding.condition ? { title: binding.condition.title, expression: binding.condition.expression } : undefined;
      out.push({ role: binding.role, member, scope, resource, ...(condition ? { condition } : {}) });
    }
  }
  return out;
}

/** Google's service agents live outside the customer's `iam.gserviceaccount.com` accounts. */
function isServiceAgent(email: string): boolean {
  return /@gcp-sa-[a-z0-9-]+\.iam\.gserviceaccount\.com$|@(?:cloudservices|cloudbuild|container-engine-robot|compute-system)\.gserviceaccount\.com$/.test(
    email,
  );
}

function defaultAccountKind(email: string, projectId: string, projectNumber: string | undefined): GcpServiceAccountAttributes['defaultAccount'] {
  if (projectNumber && email === `${projectNumber}-compute@developer.gserviceaccount.com`) return 'compute';
  if (email === `${projectId}@appspot.gserviceaccount.com`) return 'appengine';
  return undefined;
}

/**
 * Owner conventions in a description, e.g. "Deploys payments. owner=alice@acme.example team: payments".
 * The pairs become tags, so the shared owner enricher applies the configured owner tag keys to them.
 */
export function tagsFromDescription(description: string | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const m of (description ?? '').matchAll(/\b([A-Za-z][\w-]{0,30})\s?[=:]\s?([^\s,;]+)/g)) tags[m[1]!] ??= m[2]!;
  return tags;
}

/** Last authentication time by full resource name (and by unique id for accounts). */
function lastAuthentications(activities: WireActivity[] | undefined, pick: 'serviceAccount' | 'serviceAccountKey'): Map<string, string> {
  const map = new Map<string, string>();
  for (const a of activities ?? []) {
    const when = a.activity?.lastAuthenticatedTime;
    if (!when) continue;
    const target = a.activity?.[pick];
    for (const name of [a.fullResourceName, target?.fullResourceName]) if (name) map.set(name, when);
    if (pick === 'serviceAccount' && target?.serviceAccountId) map.set(`uid:${target.serviceAccountId}`, when);
  }
  return map;
}

export function policyHolderIdentity(attributes: Omit<GcpPolicyHolderAttributes, 'resource' | 'providerManaged'>, source: string): Identity {
  const full: GcpPolicyHolderAttributes = { resource: true, providerManaged: true, ...attributes };
  return {
    id: makeId('gcp', KIND_GCP_POLICY_HOLDER, attributes.resourceName),
    provider: 'gcp',
    kind: KIND_GCP_POLICY_HOLDER,
    nativeId: attributes.resourceName,
    name: attributes.projectId ? `projects/${attributes.projectId}` : attributes.resourceName,
    scope: attributes.projectId ?? attributes.resourceName,
    tags: attributes.labels ?? {},
    grants: [],
    status: 'active',
    attributes: full as object as Record<string, unknown>,
    source,
  };
}

/**
 * The roles each member should lose, from the recommender's operations: a `remove` names the member
 * and role in its path filters; an `add` in the same group names the smaller replacement role.
 */
export function unneededRolesByMember(recommendations: WireRecommendation[] | undefined): Map<string, GcpUnneededRole[]> {
  const out = new Map<string, GcpUnneededRole[]>();
  for (const rec of recommendations ?? []) {
    for (const group of rec.content?.operationGroups ?? []) {
      const ops = group.operations ?? [];
      const replacements = ops
        .filter((o) => o.action === 'add')
        .map((o) => String(o.pathFilters?.['/iamPolicy/bindings/*/role'] ?? ''))
        .filter(Boolean);
      for (const op of ops) {
        const member = op.pathFilters?.['/iamPolicy/bindings/*/members/*'];
        const role = op.pathFilters?.['/iamPolicy/bindings/*/role'];
        if (op.action !== 'remove' || typeof member !== 'string' || typeof role !== 'string') continue;
        const entry: GcpUnneededRole = {
          role,
          resource: op.resource ?? '',
          subtype: rec.recommenderSubtype ?? 'REMOVE_ROLE',
          replacements,
          recommendation: rec.name,
        };
        out.set(member, [...(out.get(member) ?? []), entry]);
      }
    }
  }
  return out;
}

interface ProjectFacts {
  project: GcpProjectSnapshot;
  projectId: string;
  projectNumber?: string;
  accountAuth: Map<string, string>;
  keyAuth: Map<string, string>;
  unneededRoles: Map<string, GcpUnneededRole[]>;
  options: NormaliseOptions;
}

export function serviceAccountIdentity(facts: ProjectFacts, account: WireServiceAccount, policy: WirePolicy | undefined): Identity {
  const resource = `projects/${facts.projectId}/serviceAccounts/${account.email}`;
  const defaultAccount = defaultAccountKind(account.email, facts.projectId, facts.projectNumber);
  const attributes: GcpServiceAccountAttributes = {
    projectId: facts.projectId,
    ...(facts.projectNumber ? { projectNumber: facts.projectNumber } : {}),
    ...(account.uniqueId ? { uniqueId: account.uniqueId } : {}),
    email: account.email,
    ...(account.displayName ? { displayName: account.displayName } : {}),
    ...(account.description ? { description: account.description } : {}),
    disabled: account.disabled === true,
    ...(defaultAccount ? { defaultAccount } : {}),
    providerManaged: isServiceAgent(account.email),
    ...(policy ? { policyBindings: flattenPolicy(policy, 'service-account', resource) } : {}),
    ...(facts.unneededRoles.has(`serviceAccount:${account.email}`) ? { unneededRoles: facts.unneededRoles.get(`serviceAccount:${account.email}`) } : {}),
    usageTracked: facts.project.accountActivities !== undefined,
  };
  const lastUsedAt =
    facts.accountAuth.get(`//iam.googleapis.com/${resource}`) ?? (account.uniqueId ? facts.accountAuth.get(`uid:${account.uniqueId}`) : undefined);
  return {
    id: makeId('gcp', KIND_GCP_SERVICE_ACCOUNT, account.email),
    provider: 'gcp',
    kind: KIND_GCP_SERVICE_ACCOUNT,
    nativeId: account.email,
    name: account.email,
    scope: facts.projectId,
    tags: tagsFromDescription(account.description),
    grants: [],
    ...(lastUsedAt ? { lastUsedAt } : {}),
    status: account.disabled ? 'inactive' : 'active',
    attributes: attributes as object as Record<string, unknown>,
    source: facts.options.source,
  };
}

function keyStatus(key: WireServiceAccountKey, now: Date): Credential['status'] {
  if (key.disabled) return 'inactive';
  if (key.validBeforeTime && !NEVER.test(key.validBeforeTime) && Date.parse(key.validBeforeTime) <= now.getTime()) return 'expired';
  return 'active';
}

/** `projects/P/serviceAccounts/EMAIL/keys/KEY_ID` → its parts (EMAIL may be a unique id in asset names). */
export function parseKeyName(name: string): { projectId?: string; account?: string; keyId: string } {
  const m = /(?:^|\/)projects\/([^/]+)\/serviceAccounts\/([^/]+)\/keys\/([^/]+)$/.exec(name);
  return m ? { projectId: m[1], account: m[2], keyId: m[3]! } : { keyId: name.split('/').pop()! };
}

export function keyCredential(facts: ProjectFacts, email: string, key: WireServiceAccountKey): Credential {
  const { keyId } = parseKeyName(key.name);
  const neverExpires = !key.validBeforeTime || NEVER.test(key.validBeforeTime);
  const exposedStatus = (key.extendedStatus ?? []).some((s) => /EXPOSED|COMPROMISE/.test(s.key ?? ''));
  const attributes: GcpKeyAttributes = {
    projectId: facts.projectId,
    serviceAccountEmail: email,
    keyId,
    keyType: key.keyType ?? 'USER_MANAGED',
    ...(key.keyOrigin ? { keyOrigin: key.keyOrigin } : {}),
    ...(key.keyAlgorithm ? { keyAlgorithm: key.keyAlgorithm } : {}),
    disabled: key.disabled === true,
    ...(key.disableReason ? { disableReason: key.disableReason } : {}),
    exposed: exposedStatus || /EXPOSED|COMPROMISE/.test(key.disableReason ?? ''),
    neverExpires,
    usageTracked: facts.project.keyActivities !== undefined,
  };
  const lastUsedAt = facts.keyAuth.get(`//iam.googleapis.com/projects/${facts.projectId}/serviceAccounts/${email}/keys/${keyId}`);
  return {
    id: makeId('gcp', KIND_GCP_KEY, keyId),
    provider: 'gcp',
    kind: KIND_GCP_KEY,
    nativeId: keyId,
    name: `${email}/keys/${keyId.slice(0, 12)}`,
    identityId: makeId('gcp', KIND_GCP_SERVICE_ACCOUNT, email),
    scope: facts.projectId,
    tags: {},
    ...(key.validAfterTime ? { createdAt: key.validAfterTime, lastRotatedAt: key.validAfterTime } : {}),
    ...(!neverExpires && key.validBeforeTime ? { expiresAt: key.validBeforeTime } : {}),
    ...(lastUsedAt ? { lastUsedAt } : {}),
    status: keyStatus(key, facts.options.now),
    attributes: attributes as object as Record<string, unknown>,
    source: facts.options.source,
  };
}

export function wifProviderIdentities(projectId: string, pools: WireWifPool[], source: string): Identity[] {
  return pools.flatMap((pool) =>
    (pool.providers ?? []).map((provider): Identity => {
      const attributes: GcpWifProviderAttributes = {
        resource: true,
        providerManaged: false,
        projectId,
        pool: pool.name,
        providerId: provider.name.split('/').pop()!,
        disabled: provider.disabled === true || pool.disabled === true || provider.state === 'DELETED',
        ...(provider.oidc?.issuerUri ? { issuerUri: provider.oidc.issuerUri } : {}),
        protocol: provider.oidc ? 'oidc' : provider.aws ? 'aws' : provider.saml ? 'saml' : 'unknown',
        ...(provider.oidc?.allowedAudiences ? { allowedAudiences: provider.oidc.allowedAudiences } : {}),
        attributeMapping: provider.attributeMapping ?? {},
        ...(provider.attributeCondition ? { attributeCondition: provider.attributeCondition } : {}),
      };
      return {
        id: makeId('gcp', KIND_GCP_WIF_PROVIDER, provider.name),
        provider: 'gcp',
        kind: KIND_GCP_WIF_PROVIDER,
        nativeId: provider.name,
        name: `${pool.name.split('/').pop()}/${attributes.providerId}`,
        scope: projectId,
        tags: {},
        grants: [],
        status: attributes.disabled ? 'inactive' : 'active',
        attributes: attributes as object as Record<string, unknown>,
        source,
      };
    }),
  );
}

export function projectFacts(project: GcpProjectSnapshot, options: NormaliseOptions): ProjectFacts {
  return {
    project,
    projectId: project.project.projectId,
    projectNumber: project.project.name?.match(/^projects\/(\d+)$/)?.[1],
    accountAuth: lastAuthentications(project.accountActivities, 'serviceAccount'),
    keyAuth: lastAuthentications(project.keyActivities, 'serviceAccountKey'),
    unneededRoles: unneededRolesByMember(project.roleRecommendations),
    options,
  };
}

function normaliseProject(project: GcpProjectSnapshot, options: NormaliseOptions): NormalisedGcp {
  const facts = projectFacts(project, options);
  const { projectId } = facts;
  const identities: Identity[] = [
    policyHolderIdentity(
      {
        scope: 'project',
        resourceName: `projects/${projectId}`,
        projectId,
        ...(facts.projectNumber ? { projectNumber: facts.projectNumber } : {}),
        ...(project.project.parent ? { parent: project.project.parent } : {}),
        ...(project.project.labels ? { labels: project.project.labels } : {}),
        ...(project.policy ? { bindings: flattenPolicy(project.policy, 'project', `projects/${projectId}`) } : {}),
      },
      options.source,
    ),
  ];
  const credentials: Credential[] = [];
  for (const { account, keys, policy } of project.serviceAccounts ?? []) {
    identities.push(serviceAccountIdentity(facts, account, policy));
    for (const key of keys ?? []) credentials.push(keyCredential(facts, account.email, key));
  }
  identities.push(...wifProviderIdentities(projectId, project.workloadIdentityPools ?? [], options.source));
  const notCovered = (project.notCovered ?? []).map((n) => ({ part: `project:${projectId}/${n.part}`, reason: n.reason }));
  return { identities, credentials, notCovered };
}

export function normaliseGcpSnapshot(snapshot: GcpSnapshot, options: NormaliseOptions): NormalisedGcp {
  const out: NormalisedGcp = { identities: [], credentials: [], notCovered: [...(snapshot.notCovered ?? [])] };
  if (snapshot.organization) {
    const { name, policy } = snapshot.organization;
    out.identities.push(
      policyHolderIdentity(
        { scope: 'organization', resourceName: name, ...(policy ? { bindings: flattenPolicy(policy, 'organization', name) } : {}) },
        options.source,
      ),
    );
  }
  for (const folder of snapshot.folders ?? []) {
    const bindings = folder.policy ? { bindings: flattenPolicy(folder.policy, 'folder', folder.name) } : {};
    out.identities.push(
      policyHolderIdentity({ scope: 'folder', resourceName: folder.name, ...(folder.parent ? { parent: folder.parent } : {}), ...bindings }, options.source),
    );
  }
  for (const project of snapshot.projects) {
    const part = normaliseProject(project, options);
    out.identities.push(...part.identities);
    out.credentials.push(...part.credentials);
    out.notCovered.push(...part.notCovered);
  }
  return out;
}
