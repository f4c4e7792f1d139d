/**
 * The emulated Azure estate and how each object is rendered: every answer starts from one of
 * Microsoft's published examples (./examples) and only the identifying fields and the facts a test
 * needs are changed, so the shapes stay Microsoft's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { ArmAccessPolicy, ArmItemAttributes, ArmRotationPolicy } from '../../connectors/azure/snapshot.js';

// Next to this file when run from TS (tests, tsx); from dist/testkit/azure (the compiled bench)
// the JSON examples are not copied, so fall back to the source tree.
const EXAMPLES_DIR = [new URL('./examples/', import.meta.url), new URL('../../../testkit/azure/examples/', import.meta.url)].find((u) =>
  existsSync(new URL('getVault.json', u)),
);

function example(file: string): any {
  if (!EXAMPLES_DIR) throw new Error('Azure REST examples not found (testkit/azure/examples)');
  return JSON.parse(readFileSync(new URL(file, EXAMPLES_DIR), 'utf8'));
}

const EXAMPLES = {
  subscription: example('GetSubscriptions.json').responses['200'].body.value[0],
  vault: example('listVaultBySubscription.json').responses['200'].body.value[0],
  vaultWithAcls: example('updateVault.json').responses['200'].body,
  secret: example('listSecrets.json').responses['200'].body.value[0],
  secretGet: example('getSecret.json').responses['200'].body,
  keyListItem: example('listKeys.json').responses['200'].body.value[0],
  key: example('getKey.json').responses['200'].body,
  keyVersion: example('listKeyVersions.json').responses['200'].body.value[0],
  roleAssignment: example('RoleAssignments_ListForResourceGroup.json').responses['200'].body.value[0],
  roleDefinition: example('GetRoleDefinitionById.json').responses['200'].body,
};

export interface EmuSecret {
  name: string;
  tags?: Record<string, string>;
  contentType?: string;
  attributes: ArmItemAttributes;
}

export interface EmuKey {
  name: string;
  tags?: Record<string, string>;
  kty?: string;
  keyOps?: string[];
  keySize?: number;
  rotationPolicy?: ArmRotationPolicy;
  /** Version attributes, oldest first; the last is the current version. */
  versions: ArmItemAttributes[];
}

export interface EmuVault {
  name: string;
  resourceGroup: string;
  location?: string;
  tags?: Record<string, string>;
  /** Overrides of the example vault's properties (accessPolicies, enableRbacAuthorization...). */
  properties?: Record<string, unknown>;
  secrets: EmuSecret[];
  keys: EmuKey[];
}

/** A role assignment: `scope` relative to the subscription ('' = the subscription itself, `resourceGroups/rg`, a vault id...). */
export interface EmuRoleAssignment {
  name: string;
  principalId: string;
  principalType: 'User' | 'Group' | 'ServicePrincipal';
  /** A built-in role's GUID or a custom role's name in `customRoles`. */
  roleDefinition: string;
  /** Absolute scope (`/`, a management group) or relative to the subscription. */
  scope: string;
  createdOn?: string;
}

export interface EmuRoleDefinition {
  name: string;
  roleName: string;
  actions: string[];
  dataActions: string[];
  type?: 'BuiltInRole' | 'CustomRole';
}

export interface EmuSubscription {
  subscriptionId: string;
  displayName: string;
  state?: string;
  vaults: EmuVault[];
  roleAssignments?: EmuRoleAssignment[];
  /** Custom roles; the built-in ones are always served. */
  customRoles?: EmuRoleDefinition[];
}

export interface EmuEstate {
  tenantId: string;
  subscriptions: EmuSubscription[];
}

const clone = <T>(v: T): T => structuredClone(v);

export function vaultResourceId(sub: string, vault: EmuVault): string {
  return `/subscriptions/${sub}/resourceGroups/${vault.resourceGroup}/providers/Microsoft.KeyVault/vaults/${vault.name}`;
}

export function renderSubscription(estate: EmuEstate, sub: EmuSubscription): any {
  const s = clone(EXAMPLES.subscription);
  s.id = `/subscriptions/${sub.subscriptionId}`;
  s.subscriptionId = sub.subscriptionId;
  s.displayName = sub.displayName;
  s.state = sub.state ?? 'Enabled';
  s.tenantId = estate.tenantId;
  s.managedByTenants = [];
  return s;
}

export function renderVault(estate: EmuEstate, sub: EmuSubscription, vault: EmuVault): any {
  const v = clone(EXAMPLES.vault);
  v.id = vaultResourceId(sub.subscriptionId, vault);
  v.name = vault.name;
  v.location = vault.location ?? v.location;
  v.tags = vault.tags ?? {};
  v.properties.tenantId = estate.tenantId;
  v.properties.vaultUri = `https://${vault.name}.vault.azure.net/`;
  for (const policy of v.properties.accessPolicies as ArmAccessPolicy[]) policy.tenantId = estate.tenantId;
  Object.assign(v.properties, clone(vault.properties ?? {}));
  return v;
}

export function renderSecret(sub: EmuSubscription, vault: EmuVault, secret: EmuSecret, full = false): any {
  const s = clone(full ? EXAMPLES.secretGet : EXAMPLES.secret);
  s.id = `${vaultResourceId(sub.subscriptionId, vault)}/secrets/${secret.name}`;
  s.name = secret.name;
  s.location = vault.location ?? s.location;
  if (secret.tags) s.tags = secret.tags;
  s.properties.attributes = clone(secret.attributes);
  if (secret.contentType) s.properties.contentType = secret.contentType;
  s.properties.secretUri = `https://${vault.name}.vault.azure.net/secrets/${secret.name}`;
  s.properties.secretUriWithVersion = `${s.properties.secretUri}/${versionId(secret.name, 0)}`;
  return s;
}

/** Deterministic 32-hex version ids, like Key Vault's. */
export function versionId(name: string, index: number): string {
  let h = 2166136261;
  for (const ch of `${name}#${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(4);
}

function currentVersion(key: EmuKey): ArmItemAttributes {
  return key.versions[key.versions.length - 1] ?? { enabled: true };
}

export function renderKeyListItem(sub: EmuSubscription, vault: EmuVault, key: EmuKey): any {
  const k = clone(EXAMPLES.keyListItem);
  k.id = `${vaultResourceId(sub.subscriptionId, vault)}/keys/${key.name}`;
  k.name = key.name;
  k.location = vault.location ?? k.location;
  if (key.tags) k.tags = key.tags;
  k.properties.attributes = clone(currentVersion(key));
  k.properties.keyUri = `https://${vault.name}.vault.azure.net:443/keys/${key.name}`;
  return k;
}

export function renderKey(sub: EmuSubscription, vault: EmuVault, key: EmuKey): any {
  const k = clone(EXAMPLES.key);
  k.id = `${vaultResourceId(sub.subscriptionId, vault)}/keys/${key.name}`;
  k.name = key.name;
  k.location = vault.location ?? k.location;
  if (key.tags) k.tags = key.tags;
  k.properties.attributes = clone(currentVersion(key));
  if (key.kty) k.properties.kty = key.kty;
  if (key.keyOps) k.properties.keyOps = key.keyOps;
  if (key.keySize) k.properties.keySize = key.keySize;
  k.properties.keyUri = `https://${vault.name}.vault.azure.net:443/keys/${key.name}`;
  k.properties.keyUriWithVersion = `${k.properties.keyUri}/${versionId(key.name, key.versions.length - 1)}`;
  if (key.rotationPolicy) k.properties.rotationPolicy = clone(key.rotationPolicy);
  return k;
}

export function renderKeyVersions(sub: EmuSubscription, vault: EmuVault, key: EmuKey): any[] {
  return key.versions.map((attributes, i) => {
    const v = clone(EXAMPLES.keyVersion);
    const version = versionId(key.name, i);
    v.id = `${vaultResourceId(sub.subscriptionId, vault)}/keys/${key.name}/versions/${version}`;
    v.name = version;
    v.location = vault.location ?? v.location;
    v.properties.attributes = clone(attributes);
    v.properties.keyUri = `https://${vault.name}.vault.azure.net:443/keys/${key.name}`;
    v.properties.keyUriWithVersion = `${v.properties.keyUri}/${version}`;
    return v;
  });
}

/** Built-in role definitions the emulator serves (ids and permissions as Azure publishes them). */
export const EMU_BUILTIN_ROLES: EmuRoleDefinition[] = [
  { name: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', roleName: 'Owner', actions: ['*'], dataActions: [] },
  { name: 'b24988ac-6180-42a0-ab88-20f7382dd24c', roleName: 'Contributor', actions: ['*'], dataActions: [] },
  { name: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', roleName: 'Reader', actions: ['*/read'], dataActions: [] },
  {
    name: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    roleName: 'User Access Administrator',
    actions: ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'],
    dataActions: [],
  },
  {
    name: '00482a5a-887f-4fb3-b363-3b7fe8e74483',
    roleName: 'Key Vault Administrator',
    actions: ['Microsoft.Authorization/*/read', 'Microsoft.KeyVault/checkNameAvailability/read', 'Microsoft.KeyVault/vaults/*/read'],
    dataActions: ['Microsoft.KeyVault/vaults/*'],
  },
  {
    name: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
    roleName: 'Key Vault Secrets Officer',
    actions: ['Microsoft.Authorization/*/read', 'Microsoft.KeyVault/vaults/*/read'],
    dataActions: ['Microsoft.KeyVault/vaults/secrets/*'],
  },
  {
    name: '4633458b-17de-408a-b874-0445c86b69e6',
    roleName: 'Key Vault Secrets User',
    actions: [],
    dataActions: ['Microsoft.KeyVault/vaults/secrets/getSecret/action', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'],
  },
];

function absoluteScope(sub: EmuSubscription, scope: string): string {
  if (scope.startsWith('/')) return scope;
  return `/subscriptions/${sub.subscriptionId}${scope ? `/${scope}` : ''}`;
}

export function renderRoleDefinition(sub: EmuSubscription, def: EmuRoleDefinition): any {
  const d = clone(EXAMPLES.roleDefinition);
  d.id = `/subscriptions/${sub.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${def.name}`;
  d.name = def.name;
  d.properties.roleName = def.roleName;
  d.properties.type = def.type ?? 'BuiltInRole';
  d.properties.description = `${def.roleName} (emulated)`;
  d.properties.assignableScopes = def.type === 'CustomRole' ? [`/subscriptions/${sub.subscriptionId}`] : ['/'];
  d.properties.permissions = [{ actions: def.actions, notActions: [], dataActions: def.dataActions, notDataActions: [] }];
  return d;
}

export function roleDefinitionsOf(sub: EmuSubscription): EmuRoleDefinition[] {
  return [...EMU_BUILTIN_ROLES, ...(sub.customRoles ?? []).map((r) => ({ ...r, type: 'CustomRole' as const }))];
}

export function renderRoleAssignment(sub: EmuSubscription, a: EmuRoleAssignment): any {
  const r = clone(EXAMPLES.roleAssignment);
  const scope = absoluteScope(sub, a.scope);
  const definition =
    EMU_BUILTIN_ROLES.find((d) => d.name === a.roleDefinition) ?? sub.customRoles?.find((d) => d.name === a.roleDefinition || d.roleName === a.roleDefinition);
  r.id = `${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${a.name}`;
  r.name = a.name;
  r.properties.scope = scope;
  r.properties.principalId = a.principalId;
  r.properties.principalType = a.principalType;
  r.properties.roleDefinitionId = `/subscriptions/${sub.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${definition?.name ?? a.roleDefinition}`;
  if (a.createdOn) r.properties.createdOn = a.createdOn;
  return r;
}

/** A GUID-shaped id; deterministic from a label so fixtures read well and stay stable. */
export function guid(label: string): string {
  let hex = '';
  for (let i = 0; hex.length < 32; i++) {
    let h = 2166136261;
    for (const ch of `${label}:${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    hex += h.toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A JWT-shaped bearer token (header.payload.signature, base64url) built at test time; not signed by anyone. */
export function fakeAccessToken(claims: Record<string, unknown>): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64({ typ: 'JWT', alg: 'RS256', kid: 'nhiscan-test' })}.${b64(claims)}.${randomBytes(32).toString('base64url')}`;
}

/**
 * The snapshot the collector would produce for an estate, built offline from the same renderers the
 * emulator serves (no network): for rule tests and for generating the sample estate file.
 */
export function snapshotFromEstate(estate: EmuEstate, endpoint = 'https://management.azure.com') {
  const enabled = estate.subscriptions.filter((s) => /^(enabled|warned|pastdue)$/i.test(s.state ?? 'Enabled'));
  return {
    nhiscanSnapshot: 'azure' as const,
    version: 1 as const,
    endpoint,
    subscriptions: estate.subscriptions.map((s) => renderSubscription(estate, s)),
    vaults: enabled.flatMap((sub) =>
      sub.vaults.map((vault) => ({
        vault: renderVault(estate, sub, vault),
        secrets: vault.secrets.map((s) => renderSecret(sub, vault, s)),
        keys: vault.keys.map((k) => ({ key: renderKey(sub, vault, k), versions: renderKeyVersions(sub, vault, k) })),
      })),
    ),
    rbac: enabled.map((sub) => ({
      subscriptionId: sub.subscriptionId,
      roleAssignments: (sub.roleAssignments ?? []).map((a) => renderRoleAssignment(sub, a)),
      roleDefinitions: roleDefinitionsOf(sub).map((d) => renderRoleDefinition(sub, d)),
    })),
    notCovered: estate.subscriptions
      .filter((s) => !enabled.includes(s))
      .map((s) => ({ part: `subscription:${s.subscriptionId}`, reason: `subscription is ${s.state}` })),
  };
}
