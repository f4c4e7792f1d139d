/**
 * The Google Cloud snapshot: what the live collector read, in the APIs' own wire shapes (IAM v1,
 * Resource Manager v3, Policy Analyzer v1), grouped by project. The offline importers build the same
 * snapshot from Cloud Asset Inventory exports and gcloud output, and normalise.ts turns any snapshot
 * into inventory, so live and offline scans judge the same facts.
 *
 * Saved with `settings.gcp.snapshotOut` as `{"nhiscanSnapshot": "gcp", "version": 1, ...}`.
 */

/** IAM v1 ServiceAccount. */
export interface WireServiceAccount {
  name?: string;
  projectId?: string;
  uniqueId?: string;
  email: string;
  displayName?: string;
  description?: string;
  oauth2ClientId?: string;
  disabled?: boolean;
}

/** IAM v1 ServiceAccountKey (never holds key material here: list calls do not return it). */
export interface WireServiceAccountKey {
  /** `projects/P/serviceAccounts/EMAIL/keys/KEY_ID`. */
  name: string;
  keyAlgorithm?: string;
  privateKeyType?: string;
  validAfterTime?: string;
  validBeforeTime?: string;
  keyOrigin?: string;
  keyType?: string;
  disabled?: boolean;
  disableReason?: string;
  extendedStatus?: { key?: string; value?: string }[];
}

/** IAM Policy (v1/v3 share it). */
export interface WirePolicy {
  version?: number;
  etag?: string;
  bindings?: { role: string; members?: string[]; condition?: { title?: string; expression?: string; description?: string } }[];
}

/** Resource Manager v3 Project. */
export interface WireProject {
  /** `projects/123456789012`. */
  name?: string;
  projectId: string;
  /** `organizations/…` or `folders/…`. */
  parent?: string;
  state?: string;
  displayName?: string;
  labels?: Record<string, string>;
}

export interface WireWifProvider {
  /** `projects/N/locations/global/workloadIdentityPools/POOL/providers/PROVIDER`. */
  name: string;
  displayName?: string;
  state?: string;
  disabled?: boolean;
  attributeMapping?: Record<string, string>;
  attributeCondition?: string;
  oidc?: { issuerUri?: string; allowedAudiences?: string[] };
  aws?: { accountId?: string };
  saml?: { idpMetadataXml?: string };
}

export interface WireWifPool {
  name: string;
  displayName?: string;
  state?: string;
  disabled?: boolean;
  providers?: WireWifProvider[];
}

/** Policy Analyzer v1 Activity (serviceAccountLastAuthentication / serviceAccountKeyLastAuthentication). */
export interface WireActivity {
  fullResourceName?: string;
  activityType?: string;
  observationPeriod?: { startTime?: string; endTime?: string };
  activity?: {
    lastAuthenticatedTime?: string;
    serviceAccount?: { fullResourceName?: string; projectNumber?: string; serviceAccountId?: string };
    serviceAccountKey?: { fullResourceName?: string; projectNumber?: string; serviceAccountId?: string };
  };
}

/** Recommender v1 Recommendation of the IAM recommender (`google.iam.policy.Recommender`). */
export interface WireRecommendation {
  name: string;
  description?: string;
  recommenderSubtype?: string;
  stateInfo?: { state?: string };
  content?: {
    operationGroups?: {
      operations?: { action?: string; resource?: string; path?: string; value?: unknown; pathFilters?: Record<string, unknown> }[];
    }[];
  };
}

export interface GcpServiceAccountSnapshot {
  account: WireServiceAccount;
  /** Absent when the keys could not be listed (see the project's `notCovered`). */
  keys?: WireServiceAccountKey[];
  /** The account's own IAM policy: who can act as it. Absent when it could not be read. */
  policy?: WirePolicy;
}

export interface GcpProjectSnapshot {
  project: WireProject;
  policy?: WirePolicy;
  serviceAccounts?: GcpServiceAccountSnapshot[];
  workloadIdentityPools?: WireWifPool[];
  /** Absent when Policy Analyzer could not be read: usage is then unknown, never "unused". */
  accountActivities?: WireActivity[];
  keyActivities?: WireActivity[];
  /** Active role recommendations of the IAM recommender; absent when they could not be read. */
  roleRecommendations?: WireRecommendation[];
  notCovered?: { part: string; reason: string }[];
}

export interface GcpSnapshot {
  nhiscanSnapshot: 'gcp';
  version: 1;
  collectedAt?: string;
  organization?: { name: string; policy?: WirePolicy };
  folders?: { name: string; parent?: string; policy?: WirePolicy }[];
  projects: GcpProjectSnapshot[];
  notCovered?: { part: string; reason: string }[];
}

export function emptyGcpSnapshot(): GcpSnapshot {
  return { nhiscanSnapshot: 'gcp', version: 1, projects: [] };
}
