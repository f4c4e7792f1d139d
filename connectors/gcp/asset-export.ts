/**
 * Cloud Asset Inventory exports (`gcloud asset export --content-type=resource|iam-policy`, one JSON
 * asset per line) into a Google Cloud snapshot. Both the export's snake_case (`asset_type`,
 * `iam_policy`) and the API's camelCase (`assetType`, `iamPolicy`) are read.
 *
 * Asset names identify projects by number and service accounts by unique id, so the projects and
 * accounts are indexed first and every policy and key is then attached to its owner.
 */
import type { SourceError } from '../../src/plugin.js';
import type {
  GcpProjectSnapshot,
  GcpServiceAccountSnapshot,
  GcpSnapshot,
  WirePolicy,
  WireServiceAccount,
  WireServiceAccountKey,
  WireWifPool,
  WireWifProvider,
} from './snapshot.js';

interface Asset {
  name: string;
  assetType: string;
  data?: Record<string, unknown>;
  policy?: WirePolicy;
  ancestors: string[];
}

const T = {
  project: 'cloudresourcemanager.googleapis.com/Project',
  folder: 'cloudresourcemanager.googleapis.com/Folder',
  organization: 'cloudresourcemanager.googleapis.com/Organization',
  account: 'iam.googleapis.com/ServiceAccount',
  key: 'iam.googleapis.com/ServiceAccountKey',
  pool: 'iam.googleapis.com/WorkloadIdentityPool',
  provider: 'iam.googleapis.com/WorkloadIdentityPoolProvider',
};

/** The first non-empty line is an asset: a JSON object with a `//service/…` name and an asset type. */
export function isAssetExport(text: string): boolean {
  const first = text
    .slice(0, 64 * 1024)
    .split('\n')
    .find((l) => l.trim());
  if (!first) return false;
  try {
    const o = JSON.parse(first) as Record<string, unknown>;
    return typeof o.name === 'string' && o.name.startsWith('//') && (typeof o.asset_type === 'string' || typeof o.assetType === 'string');
  } catch {
    return false;
  }
}

function parseAsset(line: string): Asset | string {
  let o: Record<string, any>;
  try {
    o = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (!o || typeof o !== 'object' || typeof o.name !== 'string') return 'no asset name';
  const assetType = o.asset_type ?? o.assetType;
  if (typeof assetType !== 'string') return 'no asset type';
  const data = o.resource?.data;
  const policy = o.iam_policy ?? o.iamPolicy;
  if (data !== undefined && (typeof data !== 'object' || data === null)) return 'resource.data is not an object';
  if (policy !== undefined && (typeof policy !== 'object' || policy === null || (policy.bindings !== undefined && !Array.isArray(policy.bindings))))
    return 'iam_policy.bindings is not a list';
  return { name: o.name, assetType, data, policy, ancestors: Array.isArray(o.ancestors) ? o.ancestors.filter((a: unknown) => typeof a === 'string') : [] };
}

/** `//cloudresourcemanager.googleapis.com/projects/123` → `projects/123`. */
const relative = (fullName: string) => fullName.replace(/^\/\/[^/]+\//, '');

class AssetIndex {
  readonly projects = new Map<string, GcpProjectSnapshot>(); // by number and by id
  readonly accounts = new Map<string, GcpServiceAccountSnapshot>(); // by unique id and by email
  readonly folders = new Map<string, { name: string; parent?: string; policy?: WirePolicy }>();
  organization?: { name: string; policy?: WirePolicy };

  project(numberOrId: string): GcpProjectSnapshot | undefined {
    return this.projects.get(numberOrId);
  }

  addProject(asset: Asset): void {
    const d = asset.data ?? {};
    const number = String(d.projectNumber ?? relative(asset.name).split('/')[1] ?? '');
    const projectId = typeof d.projectId === 'string' ? d.projectId : number;
    const parentObj = d.parent as { type?: string; id?: string } | string | undefined;
    const parent = typeof parentObj === 'string' ? parentObj : parentObj?.type && parentObj.id ? `${parentObj.type}s/${parentObj.id}` : asset.ancestors[1];
    const labels = d.labels && typeof d.labels === 'object' ? (d.labels as Record<string, string>) : undefined;
    const snapshot: GcpProjectSnapshot = {
      project: {
        name: `projects/${number}`,
        projectId,
        ...(parent ? { parent } : {}),
        ...(labels ? { labels } : {}),
        state: String(d.lifecycleState ?? d.state ?? 'ACTIVE'),
      },
      serviceAccounts: [],
      workloadIdentityPools: [],
    };
    this.projects.set(number, snapshot);
    this.projects.set(projectId, snapshot);
  }

  addHierarchy(asset: Asset): void {
    const name = relative(asset.name);
    if (asset.assetType === T.organization) this.organization = { name };
    else this.folders.set(name, { name, ...(asset.ancestors[1] ? { parent: asset.ancestors[1] } : {}) });
  }
}

/** The project an asset belongs to: its first ancestor (`projects/NUMBER`) or the id in its name. */
function projectOf(index: AssetIndex, asset: Asset): GcpProjectSnapshot | undefined {
  const byAncestor = asset.ancestors[0]?.startsWith('projects/') ? index.project(asset.ancestors[0].slice('projects/'.length)) : undefined;
  return byAncestor ?? index.project(relative(asset.name).split('/')[1] ?? '');
}

function attachResource(index: AssetIndex, asset: Asset): string | undefined {
  const project = projectOf(index, asset);
  if (!project) return 'its project is not in the export';
  if (asset.assetType === T.account) {
    const account = asset.data as unknown as WireServiceAccount;
    if (typeof account?.email !== 'string') return 'a service account without email';
    const entry: GcpServiceAccountSnapshot = { account, keys: [] };
    project.serviceAccounts!.push(entry);
    index.accounts.set(account.email, entry);
    if (account.uniqueId) index.accounts.set(account.uniqueId, entry);
  } else if (asset.assetType === T.pool) {
    project.workloadIdentityPools!.push({ ...(asset.data as unknown as WireWifPool), name: relative(asset.name), providers: [] });
  }
  return undefined;
}

function attachChild(index: AssetIndex, asset: Asset): string | undefined {
  const name = relative(asset.name);
  if (asset.assetType === T.key) {
    const account = index.accounts.get(name.split('/')[3] ?? '');
    if (!account) return 'its service account is not in the export';
    account.keys!.push({
      ...(asset.data as unknown as WireServiceAccountKey),
      name: `projects/${account.account.projectId ?? name.split('/')[1]}/serviceAccounts/${account.account.email}/keys/${name.split('/').pop()}`,
    });
    return undefined;
  }
  const project = projectOf(index, asset);
  const poolName = name.replace(/\/providers\/[^/]+$/, '');
  const pool = project?.workloadIdentityPools?.find((p) => p.name === poolName);
  if (!pool) return 'its workload identity pool is not in the export';
  pool.providers!.push({ ...(asset.data as unknown as WireWifProvider), name });
  return undefined;
}

function attachPolicy(index: AssetIndex, asset: Asset): string | undefined {
  const name = relative(asset.name);
  if (asset.assetType === T.organization && index.organization?.name === name) index.organization.policy = asset.policy;
  else if (asset.assetType === T.folder && index.folders.has(name)) index.folders.get(name)!.policy = asset.policy;
  else if (asset.assetType === T.project && index.project(name.split('/')[1] ?? '')) index.project(name.split('/')[1]!)!.policy = asset.policy;
  else if (asset.assetType === T.account && index.accounts.has(name.split('/')[3] ?? '')) index.accounts.get(name.split('/')[3]!)!.policy = asset.policy;
  else return [T.organization, T.folder, T.project, T.account].includes(asset.assetType) ? 'its resource is not in the export' : undefined;
  return undefined;
}

/** Builds the snapshot; lines that cannot be read or attached are named in `errors` and skipped. */
export function assetSnapshot(text: string, path: string): { snapshot: GcpSnapshot; errors: SourceError[] } {
  const errors: SourceError[] = [];
  const assets: { asset: Asset; line: number }[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const asset = parseAsset(line);
    if (typeof asset === 'string') errors.push({ part: `${path}:${i + 1}`, message: `skipped line: ${asset}` });
    else assets.push({ asset, line: i + 1 });
  });
  const index = new AssetIndex();
  const skip = (line: number, reason: string | undefined) => reason && errors.push({ part: `${path}:${line}`, message: `skipped asset: ${reason}` });
  const resources = assets.filter((a) => a.asset.data);
  for (const { asset } of resources) if (asset.assetType === T.project) index.addProject(asset);
  for (const { asset } of resources) if (asset.assetType === T.folder || asset.assetType === T.organization) index.addHierarchy(asset);
  for (const { asset, line } of resources) if (asset.assetType === T.account || asset.assetType === T.pool) skip(line, attachResource(index, asset));
  for (const { asset, line } of resources) if (asset.assetType === T.key || asset.assetType === T.provider) skip(line, attachChild(index, asset));
  for (const { asset, line } of assets) if (asset.policy) skip(line, attachPolicy(index, asset));
  const projects = [...new Set(index.projects.values())];
  const snapshot: GcpSnapshot = {
    nhiscanSnapshot: 'gcp',
    version: 1,
    ...(index.organization ? { organization: index.organization } : {}),
    folders: [...index.folders.values()],
    projects,
    notCovered: projects.length
      ? [{ part: 'activity', reason: 'an asset export holds no Policy Analyzer activity: service accounts and keys are not judged as unused' }]
      : [],
  };
  return { snapshot, errors };
}
