/**
 * The GitHub organisation snapshot: the RAW API objects the live collector gathered, in one plain,
 * JSON-serialisable structure. The live client only fills it; the pure normaliser (normalise.ts) turns
 * it into the inventory; the offline importer reads the same structure from a file. So a recorded
 * snapshot (`--github-snapshot-out`) re-scans exactly like the live organisation did.
 *
 * Objects are kept as GitHub returned them (field names in snake_case), minus anything secret:
 * secret-scanning alerts lose their `secret` field at collection time and webhooks their `config.secret`
 * (GitHub masks it as `********`, we keep only whether it was set) and their URL's path and query (an
 * incoming-webhook URL is often a credential itself).
 */

/** The marker that lets the importer recognise a snapshot file from its content. */
export const SNAPSHOT_MARKER = 'github';
export const SNAPSHOT_VERSION = 1;

/** A loose view of the raw API objects: every field optional, extra fields allowed. */
// oxlint-disable-next-line typescript/no-explicit-any -- raw API objects are read field by field, each checked where used
export type Raw = Record<string, any>;

export interface NotCoveredPart {
  part: string;
  reason: string;
}

export interface GithubRepoSnapshot {
  /** The repository object from `GET /orgs/{org}/repos`. */
  repo: Raw;
  deployKeys?: Raw[];
  actionsSecrets?: Raw[];
  /** Environment name → its Actions secrets. */
  environmentSecrets?: Record<string, Raw[]>;
  hooks?: Raw[];
  /** `GET /repos/{owner}/{repo}/actions/permissions/workflow`: the repository's own GITHUB_TOKEN defaults. */
  workflowPermissions?: Raw;
  /** The CODEOWNERS file's text and the path it was found at, when the repository has one and it was fetched. */
  codeowners?: { path: string; text: string };
}

export interface GithubOrgSnapshot {
  nhiscanSnapshot: typeof SNAPSHOT_MARKER;
  version: number;
  org: string;
  /** When the snapshot was taken (ISO). */
  collectedAt?: string;
  /** API base URL it came from (github.com or a GHES host). */
  apiUrl?: string;
  /** How the collector authenticated: decides which parts could be seen. */
  auth?: 'token' | 'app' | 'none';
  repos: GithubRepoSnapshot[];
  /** Repositories not collected and why (filtered, archived). Counted, not judged. */
  skippedRepos?: { name: string; reason: string }[];
  orgActionsSecrets?: Raw[];
  /** Org secret name → the full names of the repositories selected for it (visibility `selected`). */
  orgActionsSecretRepos?: Record<string, string[]>;
  dependabotSecrets?: Raw[];
  dependabotSecretRepos?: Record<string, string[]>;
  codespacesSecrets?: Raw[];
  codespacesSecretRepos?: Record<string, string[]>;
  installations?: Raw[];
  patGrants?: Raw[];
  /** PAT grant id → repository full names (repository_selection `subset`). */
  patGrantRepos?: Record<string, string[]>;
  patRequests?: Raw[];
  patRequestRepos?: Record<string, string[]>;
  orgHooks?: Raw[];
  /** `GET /orgs/{org}/actions/permissions/workflow`. */
  workflowPermissions?: Raw;
  /** Open alerts from `GET /orgs/{org}/secret-scanning/alerts`, with `secret` removed. */
  secretScanningAlerts?: Raw[];
  /** `owner/repo#number` → locations of that alert. */
  secretScanningLocations?: Record<string, Raw[]>;
  /** `GET /orgs/{org}/members` and `GET /orgs/{org}/outside_collaborators` (simple users): people, not NHIs. */
  members?: Raw[];
  outsideCollaborators?: Raw[];
  notCovered: NotCoveredPart[];
}

export function isGithubSnapshot(value: unknown): value is GithubOrgSnapshot {
  const v = value as Partial<GithubOrgSnapshot> | undefined;
  return !!v && typeof v === 'object' && v.nhiscanSnapshot === SNAPSHOT_MARKER && typeof v.org === 'string' && Array.isArray(v.repos);
}

/**
 * Removes what must never be stored from a secret-scanning alert: the plaintext `secret` (GitHub returns
 * it unless `hide_secret=true` is honoured) and, defensively, any other field carrying it.
 */
export function stripAlertSecret(alert: Raw): Raw {
  const { secret: _secret, ...rest } = alert;
  return rest;
}

/** Keeps a webhook's config minus the secret itself (GitHub masks it, but a GHES proxy might not). */
export function stripHookSecret(hook: Raw): Raw {
  const config = hook.config ?? {};
  const { secret, url, ...restConfig } = config as Raw;
  return {
    ...hook,
    config: { ...restConfig, url: originOnly(url), secret_set: typeof secret === 'string' ? secret.length > 0 : restConfig.secret_set === true },
  };
}

/** A webhook URL can itself be a credential (Slack, Teams incoming webhooks): keep scheme and host only. */
function originOnly(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return `${new URL(url).origin}/`;
  } catch {
    return undefined;
  }
}
