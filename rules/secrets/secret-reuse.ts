import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf, SEVERITY_RANK, type Credential, type Identity, type Inventory, type Severity } from '../../src/model/index.js';
import { isGithub, SECRET_KINDS } from '../../src/model/github.js';
import { privilegeOf } from '../../src/lineage/graph.js';
import { ENVIRONMENT_DEFAULTS, environmentClassifier, type Environment } from '../../src/ownership/environments.js';
import { detectorSeverity, hashPrefix, isLeakedSecret } from './common.js';
import { CONFIDENCE_RANK, placementsOf } from './reuse-placements.js';
import { storedSecretName } from '../../src/lineage/stored-copies.js';
import { groupConfidence, groupPlacements, type ReuseGroup, type ReuseMember } from './reuse-groups.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  minRepositories: 2,
  updateWindowHours: 24,
  orgSecretMinRepositories: 5,
  targetTagKeys: ['target', 'service', 'app', 'application', 'appId', 'app-id', 'clientId', 'client-id', 'resource'],
  genericNames:
    '^(password|passwd|pass|pwd|secret|secrets|token|key|api key|apikey|access token|auth token|credential|credentials|db password|database password|database url|db url|connection string|private key|client secret|secret key)$',
  environmentTagKeys: ENVIRONMENT_DEFAULTS.environmentTagKeys,
  production: ENVIRONMENT_DEFAULTS.production,
  nonProduction: ENVIRONMENT_DEFAULTS.nonProduction,
};
const options = lazySchema((z) =>
  z
    .object({
      /** Distinct repositories or stores (vaults, Actions environments, Secrets Manager accounts) a secret must be kept in to count as reused. */
      minRepositories: z.number().int().min(2).default(defaults.minRepositories),
      /** Stored secrets of one name count as one value only when their values were set within this many hours of each other. */
      updateWindowHours: z.number().positive().default(defaults.updateWindowHours),
      /** An organisation secret shared with this many selected repositories or more is reported (visibility all/private: `github-org-secret-visible-to-all`). */
      orgSecretMinRepositories: z.number().int().min(2).default(defaults.orgSecretMinRepositories),
      /** Tag keys on a stored secret that name what it unlocks: two secrets naming different targets are never one. */
      targetTagKeys: z.array(z.string()).default(defaults.targetTagKeys),
      /** Normalised names too generic to correlate by name and time alone: they join only when they name the same target. */
      genericNames: z.string().default(defaults.genericNames),
      environmentTagKeys: z.array(z.string()).default(defaults.environmentTagKeys),
      production: z.string().default(defaults.production),
      nonProduction: z.string().default(defaults.nonProduction),
    })
    .strict(),
);
type Options = z.infer<typeof options>;

export default defineRule<Options>({
  meta: {
    id: 'secret-reuse',
    title: 'Same secret used in several repositories, services or vaults',
    category: 'reuse',
    defaultSeverity: 'medium',
    owasp: ['NHI9', 'NHI8'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['git', 'dir', 'github', 'azure', 'aws', 'gcp', 'entra'],
    description:
      "One secret is kept in several repositories, services or vaults: the same value found in code in several places (same SHA-256), one live credential whose copies sit in several places (a leak matched by its AWS or GCP key id or Entra hint, a stored secret tagged with the key id), stored secrets of one name and target whose values were set together (GitHub Actions, Dependabot and Codespaces secrets, Key Vault secrets, Secrets Manager secrets), or an organisation secret shared with many selected repositories. nhiscan never reads stored values: each finding says how the copies were matched and how sure that is (`evidence.confidence`: exact, high, medium). A shared credential cannot be rotated without coordinating every holder, its activity cannot be attributed, and a leak from any holder compromises all (OWASP NHI9 reuse, NHI8 environment isolation). Severity rises with the credential's privilege and when the copies span production and non-production.",
    remediation:
      "Issue a separate credential per workload and environment, each with only the permissions it needs, store each in its own place, then revoke the shared one. Load credentials from a secret manager at run time rather than copying them between repositories and vaults. The finding's commands set a new value in each place the shared one is kept.",
  },
  check(inventory, opts) {
    const placements = placementsOf(inventory, opts);
    const groups = groupPlacements(placements, { windowMs: opts.updateWindowHours * 3_600_000, genericNames: new RegExp(opts.genericNames, 'i') });
    const judge = groupJudge(inventory, opts);
    return [...groups.flatMap(judge), ...orgSecretsSharedWidely(inventory, opts)];
  },
});

/** A value whose hash was seen in several repositories, with nothing else known: the finding as it always was. */
function hashOnly(credential: Credential & { secret: NonNullable<Credential['secret']> }, repositories: string[]): FindingDraft {
  const sources = [...new Set((credential.locations ?? []).map((l) => l.source))].sort();
  // A reused cloud key or private key is worse than a reused test token.
  const severity = SEVERITY_RANK[detectorSeverity(credential)] >= SEVERITY_RANK.high ? 'high' : 'medium';
  const title = String(credential.attributes.detectorTitle ?? credential.secret.detector);
  return {
    resource: refOf(credential),
    severity,
    message: `${title} ${credential.secret.preview} [${hashPrefix(credential.secret.hash)}] appears in ${repositories.length} repositories: ${repositories.slice(0, 5).join(', ')}${repositories.length > 5 ? ', …' : ''}.`,
    evidence: { repositories, sources, hash: credential.secret.hash, detector: credential.secret.detector, confidence: 'exact', matchedBy: ['hash'] },
  };
}

const MATCH_WORDS: Record<ReuseMember['by'], string> = {
  hash: 'same SHA-256',
  'key-id': 'key id in the leaked material',
  hint: 'Entra secret hint',
  'hint+appId': 'Entra secret hint and app id',
  'hint+tenantId': 'Entra secret hint and tenant id',
  tag: 'tagged with the key id',
  'only-credential': 'names an identity with one active credential',
  'name+target': 'same name and target',
  'name+update-time': 'same name, set within the window',
};

function describeMember({ placement: p, by }: ReuseMember): string {
  const what =
    p.from === 'code' ? `code in ${p.places.join(', ')} [${hashPrefix(p.credential.secret!.hash)}]` : `${p.places[0]} ${storedSecretName(p.credential)}`;
  return `${what} (${MATCH_WORDS[by]})`;
}

/** Severity: medium; one step up for an admin-equivalent credential, one for copies in production and non-production; `medium` confidence stops at high. */
function severityOf(admin: boolean, environments: Environment[], confidence: ReuseGroup['members'][number]['confidence']): Severity {
  const steps = Number(admin) + Number(environments.length > 1);
  const severity: Severity = steps === 2 ? 'critical' : steps === 1 ? 'high' : 'medium';
  return severity === 'critical' && CONFIDENCE_RANK[confidence] < CONFIDENCE_RANK.high ? 'high' : severity;
}

/**
 * The copy a finding without a live credential is filed under: the one created first (then by id), so that a
 * copy added later never moves the finding to another resource and changes its fingerprint.
 */
function firstPlaced(group: ReuseGroup): Credential {
  const since = (c: Credential) => Date.parse(c.createdAt ?? '') || Number.MAX_SAFE_INTEGER;
  return group.members.map((m) => m.placement.credential).sort((a, b) => since(a) - since(b) || a.id.localeCompare(b.id))[0]!;
}

function groupJudge(inventory: Inventory, opts: Options): (group: ReuseGroup) => FindingDraft[] {
  const credentials = new Map(inventory.credentials.map((c) => [c.id, c]));
  const identities = new Map(inventory.identities.map((i) => [i.id, i]));
  const envOf = environmentClassifier(opts.production, opts.nonProduction);
  return (group) => {
    const places = [...new Set(group.members.flatMap((m) => m.placement.places))].sort();
    if (places.length < opts.minRepositories) return [];
    const only = group.members.length === 1 ? group.members[0]!.placement.credential : undefined;
    if (only && isLeakedSecret(only)) return [hashOnly(only, places)];
    if (only) return [];
    const live = group.linkId ? credentials.get(group.linkId) : undefined;
    const identityId = live?.identityId ?? group.members.find((m) => m.placement.identityId)?.placement.identityId;
    const identity: Identity | undefined = identityId ? identities.get(identityId) : undefined;
    const privilege = identity ? privilegeOf(identity) : undefined;
    const environments = [...new Set(group.members.flatMap((m) => m.placement.environmentHints.map(envOf)).filter((e): e is Environment => !!e))].sort();
    const confidence = groupConfidence(group);
    const members = [...group.members].sort(
      (a, b) => CONFIDENCE_RANK[b.confidence] - CONFIDENCE_RANK[a.confidence] || a.placement.credential.id.localeCompare(b.placement.credential.id),
    );
    const resource = live ?? firstPlaced(group);
    const subject = live
      ? `${live.kind} ${live.name}${identity ? ` of ${identity.name}${privilege?.admin ? ' (admin-equivalent)' : ''}` : ''}`
      : `Secret "${group.nameKey ?? storedSecretName(resource)}"${identity ? ` of ${identity.name}` : ''}`;
    return [
      {
        resource: refOf(resource),
        ...(live ? {} : { key: group.nameKey ? `name:${group.nameKey}` : `link:${group.linkId}` }),
        severity: severityOf(!!privilege?.admin, environments, confidence),
        message: `${subject} is kept in ${places.length} places (${confidence} confidence): ${members.map(describeMember).join('; ')}.`,
        evidence: {
          confidence,
          matchedBy: [...new Set(members.map((m) => m.by))],
          places,
          environments,
          ...(live ? { credential: live.id } : {}),
          ...(identity ? { identity: identity.id, adminEquivalent: !!privilege?.admin } : {}),
          members: members.map(memberEvidence),
          credentialIds: members.map((m) => m.placement.credential.id),
        },
      },
    ];
  };
}

function memberEvidence({ placement: p, by, confidence }: ReuseMember): Record<string, unknown> {
  return {
    id: p.credential.id,
    kind: p.credential.kind,
    from: p.from,
    places: p.places,
    matchedBy: by,
    confidence,
    ...(p.setAt ? { setAt: p.setAt } : {}),
    ...(p.credential.secret ? { hash: p.credential.secret.hash } : {}),
  };
}

/** Organisation secrets GitHub itself says are shared with many selected repositories (exact: the provider lists them). */
function orgSecretsSharedWidely(inventory: Inventory, opts: Options): FindingDraft[] {
  return inventory.credentials.flatMap((c): FindingDraft[] => {
    if (!isGithub(c, SECRET_KINDS) || c.status !== 'active') return [];
    const a = c.attributes;
    const repositories = (Array.isArray(a.selectedRepositories) ? a.selectedRepositories : []).filter((r) => typeof r === 'string').sort();
    if (a.level !== 'organization' || a.visibility !== 'selected' || repositories.length < opts.orgSecretMinRepositories) return [];
    return [
      {
        resource: refOf(c),
        key: 'selected-repositories',
        message: `Organization ${a.store} secret ${storedSecretName(c)} of ${a.org} is shared with ${repositories.length} repositories (exact confidence: GitHub lists them): ${repositories.slice(0, 5).join(', ')}${repositories.length > 5 ? ', …' : ''}.`,
        evidence: { confidence: 'exact', matchedBy: ['org-selected-repositories'], places: repositories, store: a.store, credentialIds: [c.id] },
      },
    ];
  });
}
