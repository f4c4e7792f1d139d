/**
 * The kinds the GitHub connector produces and what it puts in their `attributes`: the contract between
 * the normaliser (which writes them, live or from a snapshot file) and rules/github (which read them).
 */
import { isOfKind, type InventoryItem, type WithAttributes } from './index.js';

export const GITHUB_PROVIDER = 'github';

export const KINDS = {
  deployKey: 'deploy-key',
  actionsSecret: 'actions-secret',
  dependabotSecret: 'dependabot-secret',
  codespacesSecret: 'codespaces-secret',
  finegrainedPat: 'fine-grained-pat',
  finegrainedPatRequest: 'fine-grained-pat-request',
  secretScanningAlert: 'secret-scanning-alert',
  appInstallation: 'github-app-installation',
  webhook: 'webhook',
  workflowToken: 'actions-workflow-token',
} as const;

/** Secret kinds stored by GitHub for workflows, Dependabot and Codespaces. */
export const SECRET_KINDS: (typeof KINDS)['actionsSecret' | 'dependabotSecret' | 'codespacesSecret'][] = [
  KINDS.actionsSecret,
  KINDS.dependabotSecret,
  KINDS.codespacesSecret,
];

export interface DeployKeyAttributes {
  org: string;
  repository: string;
  keyId: number;
  readOnly: boolean;
  verified?: boolean;
  enabled?: boolean;
  addedBy?: string;
  /** GitHub reports `last_used` (github.com, recent GHES); older servers do not. */
  usageTracked: boolean;
  supportsExpiry: false;
  codeowners?: string[];
}

export interface GithubSecretAttributes {
  org: string;
  /** Where the secret lives. */
  level: 'organization' | 'repository' | 'environment';
  /** `actions`, `dependabot`, `codespaces`. */
  store: 'actions' | 'dependabot' | 'codespaces';
  repository?: string;
  environment?: string;
  /** Org secrets: `all`, `private` or `selected`. */
  visibility?: string;
  /** Org secrets with visibility `selected`: repository full names (when they could be listed). */
  selectedRepositories?: string[];
  /** GitHub does not say when a secret was used, nor can a secret expire. */
  usageTracked: false;
  supportsExpiry: false;
  codeowners?: string[];
}

export interface FinegrainedPatAttributes {
  org: string;
  grantId: number;
  tokenId: number;
  tokenName: string;
  ownerLogin?: string;
  /** `all`, `subset` or `none`. */
  repositorySelection: string;
  repositories?: string[];
  /** `{ organization: {members: 'read'}, repository: {contents: 'write'}, other: {...} }`. */
  permissions: { organization?: Record<string, string>; repository?: Record<string, string>; other?: Record<string, string> };
  grantedAt?: string;
  tokenExpired: boolean;
  /** Pending requests only. */
  pending?: boolean;
  reason?: string | null;
  usageTracked: true;
  supportsExpiry: true;
}

export interface AppInstallationAttributes {
  org: string;
  installationId: number;
  appId: number;
  appSlug: string;
  repositorySelection: 'all' | 'selected' | string;
  permissions: Record<string, string>;
  events: string[];
  suspendedAt?: string;
  suspendedBy?: string;
  targetType?: string;
}

export interface WebhookAttributes {
  org: string;
  level: 'organization' | 'repository';
  repository?: string;
  hookId: number;
  active: boolean;
  events: string[];
  /** Only the host: a webhook URL can itself carry a secret (Slack, Teams incoming webhooks). */
  urlHost?: string;
  secretSet: boolean;
  /** GitHub's `insecure_ssl` is `"1"` (or 1) when TLS certificate verification is off. */
  insecureSsl: boolean;
  contentType?: string;
  createdAt?: string;
  updatedAt?: string;
  codeowners?: string[];
}

export interface WorkflowTokenAttributes {
  org: string;
  /** (additive) Set when a repository's own settings (`GET /repos/{owner}/{repo}/actions/permissions/workflow`) differ from the organisation's. */
  repository?: string;
  /** `read` or `write`. */
  defaultWorkflowPermissions: string;
  canApprovePullRequestReviews: boolean;
  providerManaged: true;
}

export interface SecretScanningAlertAttributes {
  org: string;
  repository: string;
  number: number;
  secretType: string;
  secretTypeDisplayName?: string;
  validity?: 'active' | 'inactive' | 'unknown' | string;
  publiclyLeaked: boolean;
  pushProtectionBypassed: boolean;
  pushProtectionBypassedBy?: string;
  multiRepo?: boolean;
  alertCreatedAt?: string;
  htmlUrl?: string;
  usageTracked: false;
  supportsExpiry: false;
  codeowners?: string[];
}

/* Typed accessors: they check provider and kind, then type the attributes the normaliser wrote. */

/** The attribute contract of each GitHub kind. */
export interface GithubAttributesByKind {
  'deploy-key': DeployKeyAttributes;
  'actions-secret': GithubSecretAttributes;
  'dependabot-secret': GithubSecretAttributes;
  'codespaces-secret': GithubSecretAttributes;
  'fine-grained-pat': FinegrainedPatAttributes;
  'fine-grained-pat-request': FinegrainedPatAttributes;
  'secret-scanning-alert': SecretScanningAlertAttributes;
  'github-app-installation': AppInstallationAttributes;
  webhook: WebhookAttributes;
  'actions-workflow-token': WorkflowTokenAttributes;
}
export type GithubKind = keyof GithubAttributesByKind;

/** A GitHub identity or credential of kind `K`, with that kind's attributes. */
export type GithubItem<T extends InventoryItem, K extends GithubKind> = WithAttributes<T, GithubAttributesByKind[K], K>;

export function isGithub<T extends InventoryItem, K extends GithubKind>(item: T, kinds: readonly K[]): item is GithubItem<T, K> {
  return isOfKind(item, GITHUB_PROVIDER, kinds);
}
