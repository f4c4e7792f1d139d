/**
 * What the Google Cloud normaliser puts in `Identity.attributes` / `Credential.attributes`, and what
 * the GCP enricher (src/gcp-iam/) and rules (rules/gcp/) read. The live collector and every offline
 * importer go through the same normaliser, so they all produce exactly this.
 *
 * Kinds:
 * - `gcp-service-account`: an identity; `nativeId` is the account's email.
 * - `gcp-service-account-key`: a credential of a service account; `nativeId` is the key id (the
 *   `private_key_id` of a JSON key file).
 * - `gcp-workload-identity-provider`: a federation entry point modelled as an identity with
 *   `resource: true` (it authenticates nothing itself; external tokens come in through it).
 * - `gcp-policy-holder`: an organization, folder or project with its IAM policy, `resource: true`.
 *
 * The normaliser records facts where they live (each policy on its holder, each service account's own
 * policy on the account); the GCP enricher joins them into each account's roles, who can act as it and
 * its escalation chains. Joining after the merge is what lets separately imported files (a service
 * account list, a project policy) and separately scanned shards combine.
 */
import type { Credential, Identity, Inventory } from './index.js';

export const KIND_GCP_SERVICE_ACCOUNT = 'gcp-service-account';
export const KIND_GCP_KEY = 'gcp-service-account-key';
export const KIND_GCP_WIF_PROVIDER = 'gcp-workload-identity-provider';
/** An organization, folder or project: holds an IAM policy and a place in the hierarchy (a resource, not an NHI). */
export const KIND_GCP_POLICY_HOLDER = 'gcp-policy-holder';

/** Where an IAM policy is attached. `service-account` policies govern who can act as that account. */
export type GcpPolicyScope = 'organization' | 'folder' | 'project' | 'service-account';

/** One role held by one member through one binding, flattened from an IAM policy. */
export interface GcpRoleBinding {
  role: string;
  /** The member as IAM writes it: `serviceAccount:x@p.iam.gserviceaccount.com`, `user:…`, `principalSet://…`. */
  member: string;
  scope: GcpPolicyScope;
  /** The resource the policy is attached to: `projects/p`, `folders/1`, `organizations/2`, `projects/p/serviceAccounts/x@…`. */
  resource: string;
  /** The binding's IAM condition, when it has one (kept as written; not evaluated). */
  condition?: { title?: string; expression?: string };
}

/** Roles that let a member act as a service account, and what each allows. */
export const IMPERSONATION_ROLES: Record<string, string> = {
  'roles/iam.serviceAccountUser': 'attach the account to resources and run code as it (actAs)',
  'roles/iam.serviceAccountTokenCreator': 'mint access and ID tokens for the account',
  'roles/iam.serviceAccountKeyAdmin': 'create keys for the account',
  'roles/iam.workloadIdentityUser': 'impersonate the account from a federated or Kubernetes identity',
  'roles/iam.serviceAccountAdmin': 'change who can act as the account (setIamPolicy)',
};

/** `Identity.attributes` for kind `gcp-service-account`. */
export interface GcpServiceAccountAttributes {
  projectId: string;
  projectNumber?: string;
  uniqueId?: string;
  email: string;
  displayName?: string;
  description?: string;
  disabled: boolean;
  /** `compute` for PROJECT_NUMBER-compute@developer…, `appengine` for PROJECT_ID@appspot…, else absent. */
  defaultAccount?: 'compute' | 'appengine';
  /** Google-managed service agents (…@gcp-sa-*.iam.gserviceaccount.com, cloudservices) cannot be owned by a customer. */
  providerManaged: boolean;
  /** The account's own IAM policy (who can act as it), flattened; absent when it could not be read. */
  policyBindings?: GcpRoleBinding[];
  /** Set by the GCP enricher: roles this account holds anywhere (project, folder, organization, other service accounts). */
  roleBindings?: GcpRoleBinding[];
  /** Set by the GCP enricher: who may act as this account, from its own policy and from the policies above it. */
  actAsBindings?: GcpRoleBinding[];
  /** Roles the IAM recommender says the account does not need (it did not use them in 90 days). */
  unneededRoles?: GcpUnneededRole[];
  /** Whether Policy Analyzer activity could be read for the account's project; false: "unused" cannot be judged. */
  usageTracked: boolean;
  /** Set by the GCP enricher (src/gcp-iam). */
  effective?: GcpEffectiveSummary;
}

/** One role the IAM recommender proposes to remove or replace for an account. */
export interface GcpUnneededRole {
  role: string;
  /** Where the binding is: `//cloudresourcemanager.googleapis.com/projects/p`. */
  resource: string;
  /** `REMOVE_ROLE` or `REPLACE_ROLE` (or another recommender subtype). */
  subtype: string;
  /** Smaller roles proposed instead, for a replacement. */
  replacements: string[];
  recommendation: string;
}

/** What the GCP enricher derives for a service account. */
export interface GcpEffectiveSummary {
  /** `admin`: owner, editor or an *Admin role somewhere; `write` / `read` by the role names otherwise. */
  privilegeLevel: 'admin' | 'write' | 'read' | 'none';
  /** The roles that made it admin, with where (`roles/owner on projects/p`). */
  adminRoles: string[];
  /** Accounts this one can act as directly (emails), with the role that allows it. */
  canActAs: { email: string; role: string }[];
  /** The shortest chain of impersonation to an admin account, when there is one and this account is not admin itself. */
  escalation?: { hops: { from: string; to: string; role: string }[]; reaches: string[] };
}

/** `Credential.attributes` for kind `gcp-service-account-key`. */
export interface GcpKeyAttributes {
  projectId: string;
  serviceAccountEmail: string;
  keyId: string;
  keyType: 'USER_MANAGED' | 'SYSTEM_MANAGED' | string;
  keyOrigin?: string;
  keyAlgorithm?: string;
  disabled: boolean;
  disableReason?: string;
  /** Google found the key exposed publicly (disableReason SERVICE_ACCOUNT_KEY_DISABLE_REASON_EXPOSED or an extended status). */
  exposed: boolean;
  /** validBeforeTime 9999-12-31: the key never expires. */
  neverExpires: boolean;
  usageTracked: boolean;
  /** Leaked copies of this key found in code (credential ids), set by the leak correlation. */
  leakedAs?: string[];
}

/** `Identity.attributes` for kind `gcp-workload-identity-provider`. */
export interface GcpWifProviderAttributes {
  resource: true;
  providerManaged: false;
  projectId: string;
  pool: string;
  providerId: string;
  disabled: boolean;
  issuerUri?: string;
  /** `oidc`, `aws` or `saml`. */
  protocol: string;
  allowedAudiences?: string[];
  attributeMapping: Record<string, string>;
  attributeCondition?: string;
  /** Set by the GCP enricher: service accounts whose policy lets principals of this pool impersonate them (emails). */
  canImpersonate?: string[];
}

/** `Identity.attributes` for kind `gcp-policy-holder`. */
export interface GcpPolicyHolderAttributes {
  resource: true;
  /** Not an NHI: nobody is asked to own a project through nhiscan. */
  providerManaged: true;
  scope: Exclude<GcpPolicyScope, 'service-account'>;
  /** `organizations/1`, `folders/2`, `projects/my-project`. */
  resourceName: string;
  projectId?: string;
  projectNumber?: string;
  /** `organizations/1` or `folders/2`, when known. */
  parent?: string;
  labels?: Record<string, string>;
  /** The policy, flattened; absent when it could not be read. */
  bindings?: GcpRoleBinding[];
}

/** What the leak correlation writes on a leaked-secret credential matched to a live key. */
export interface GcpLeakMatchAttributes {
  gcpMatchedKeyId: string;
  gcpMatchedKeyStatus: Credential['status'];
  gcpServiceAccount: string;
  gcpPrivilegeLevel?: GcpEffectiveSummary['privilegeLevel'];
  gcpAdminRoles?: string[];
}

function isGcp(x: Identity | Credential, kind: string): boolean {
  return x.provider === 'gcp' && x.kind === kind;
}

export function gcpServiceAccounts(inventory: Inventory): Identity[] {
  return inventory.identities.filter((i) => isGcp(i, KIND_GCP_SERVICE_ACCOUNT));
}

export function gcpKeys(inventory: Inventory): Credential[] {
  return inventory.credentials.filter((c) => isGcp(c, KIND_GCP_KEY));
}

export function gcpWifProviders(inventory: Inventory): Identity[] {
  return inventory.identities.filter((i) => isGcp(i, KIND_GCP_WIF_PROVIDER));
}

/** Typed view of a service account's attributes; throws on anything else so a wrong call fails loudly. */
export function gcpServiceAccountAttributes(identity: Identity): GcpServiceAccountAttributes {
  if (!isGcp(identity, KIND_GCP_SERVICE_ACCOUNT)) throw new TypeError(`${identity.id} is not a GCP service account`);
  return identity.attributes as object as GcpServiceAccountAttributes;
}

export function gcpKeyAttributes(credential: Credential): GcpKeyAttributes {
  if (!isGcp(credential, KIND_GCP_KEY)) throw new TypeError(`${credential.id} is not a GCP service account key`);
  return credential.attributes as object as GcpKeyAttributes;
}

export function gcpPolicyHolders(inventory: Inventory): Identity[] {
  return inventory.identities.filter((i) => isGcp(i, KIND_GCP_POLICY_HOLDER));
}

export function gcpPolicyHolderAttributes(identity: Identity): GcpPolicyHolderAttributes {
  if (!isGcp(identity, KIND_GCP_POLICY_HOLDER)) throw new TypeError(`${identity.id} is not a GCP organization, folder or project`);
  return identity.attributes as object as GcpPolicyHolderAttributes;
}

export function gcpWifProviderAttributes(identity: Identity): GcpWifProviderAttributes {
  if (!isGcp(identity, KIND_GCP_WIF_PROVIDER)) throw new TypeError(`${identity.id} is not a GCP workload identity provider`);
  return identity.attributes as object as GcpWifProviderAttributes;
}

/** `serviceAccount:EMAIL` as IAM writes a service account member. */
export function serviceAccountMember(email: string): string {
  return `serviceAccount:${email}`;
}

/** Basic and admin roles, as CIS GCP 1.5 counts them: owner, editor, and any role whose name says admin. */
export function isAdminRole(role: string): boolean {
  return role === 'roles/owner' || role === 'roles/editor' || /admin/i.test(role.replace(/^roles\//, ''));
}
