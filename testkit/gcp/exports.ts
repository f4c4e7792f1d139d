/**
 * The emulated estate as the offline formats nhiscan imports: a Cloud Asset Inventory export
 * (`gcloud asset export --content-type=resource` and `--content-type=iam-policy`, newline-delimited,
 * with the export's snake_case field names) and gcloud's JSON output. Shapes follow Google's
 * documentation of the export format and the discovery documents of the APIs the assets come from.
 */
import type { EmuGcpEstate, EmuProject } from './estate.js';

const CRM = '//cloudresourcemanager.googleapis.com';
const IAM = '//iam.googleapis.com';

function ancestorsOf(estate: EmuGcpEstate, p: EmuProject): string[] {
  const out = [p.project.name];
  let parent = p.project.parent;
  while (parent) {
    out.push(parent);
    parent = estate.folders.find((f) => f.name === parent)?.parent;
  }
  return out;
}

function resourceAsset(name: string, assetType: string, discoveryName: string, data: unknown, ancestors: string[], parent?: string) {
  return {
    name,
    asset_type: assetType,
    resource: {
      version: 'v1',
      discovery_document_uri: `https://${assetType.split('/')[0]}/$discovery/rest`,
      discovery_name: discoveryName,
      ...(parent ? { parent } : {}),
      data,
    },
    ancestors,
    update_time: '2026-12-01T06:00:00.000000Z',
  };
}

/** `--content-type=resource` and `--content-type=iam-policy` exports, concatenated (as users often do). */
export function assetExportLines(estate: EmuGcpEstate): string[] {
  const lines: object[] = [];
  const orgId = estate.organization?.name.split('/')[1];
  if (estate.organization) {
    lines.push(
      resourceAsset(
        `${CRM}/${estate.organization.name}`,
        'cloudresourcemanager.googleapis.com/Organization',
        'Organization',
        { name: estate.organization.name, displayName: 'acme.example', lifecycleState: 'ACTIVE' },
        [estate.organization.name],
      ),
    );
    lines.push({
      name: `${CRM}/${estate.organization.name}`,
      asset_type: 'cloudresourcemanager.googleapis.com/Organization',
      iam_policy: estate.organization.policy,
      ancestors: [estate.organization.name],
    });
  }
  for (const f of estate.folders) {
    lines.push(
      resourceAsset(
        `${CRM}/${f.name}`,
        'cloudresourcemanager.googleapis.com/Folder',
        'Folder',
        { name: f.name, parent: f.parent, displayName: f.name, lifecycleState: 'ACTIVE' },
        [f.name, f.parent],
        `${CRM}/${f.parent}`,
      ),
    );
    lines.push({ name: `${CRM}/${f.name}`, asset_type: 'cloudresourcemanager.googleapis.com/Folder', iam_policy: f.policy, ancestors: [f.name, f.parent] });
  }
  for (const p of estate.projects) {
    const ancestors = ancestorsOf(estate, p);
    const number = p.project.name.split('/')[1]!;
    const [parentType, parentId] = (p.project.parent ?? `organizations/${orgId}`).split('/');
    lines.push(
      resourceAsset(
        `${CRM}/projects/${number}`,
        'cloudresourcemanager.googleapis.com/Project',
        'Project',
        {
          projectNumber: number,
          projectId: p.project.projectId,
          lifecycleState: 'ACTIVE',
          name: p.project.displayName ?? p.project.projectId,
          parent: { type: parentType!.replace(/s$/, ''), id: parentId },
          ...(p.project.labels ? { labels: p.project.labels } : {}),
        },
        ancestors,
      ),
    );
    lines.push({ name: `${CRM}/projects/${number}`, asset_type: 'cloudresourcemanager.googleapis.com/Project', iam_policy: p.policy, ancestors });
    for (const s of p.serviceAccounts) {
      const saName = `${IAM}/projects/${p.project.projectId}/serviceAccounts/${s.account.uniqueId}`;
      lines.push(resourceAsset(saName, 'iam.googleapis.com/ServiceAccount', 'ServiceAccount', s.account, ancestors, `${CRM}/projects/${number}`));
      if (s.policy.bindings?.length) lines.push({ name: saName, asset_type: 'iam.googleapis.com/ServiceAccount', iam_policy: s.policy, ancestors });
      for (const k of s.keys) {
        const keyId = k.name.split('/').pop();
        lines.push(resourceAsset(`${saName}/keys/${keyId}`, 'iam.googleapis.com/ServiceAccountKey', 'ServiceAccountKey', k, ancestors, saName));
      }
    }
    for (const pool of p.pools) {
      const { providers, ...poolData } = pool;
      lines.push(
        resourceAsset(
          `${IAM}/${pool.name}`,
          'iam.googleapis.com/WorkloadIdentityPool',
          'WorkloadIdentityPool',
          poolData,
          ancestors,
          `${CRM}/projects/${number}`,
        ),
      );
      for (const provider of providers ?? [])
        lines.push(
          resourceAsset(
            `${IAM}/${provider.name}`,
            'iam.googleapis.com/WorkloadIdentityPoolProvider',
            'WorkloadIdentityPoolProvider',
            provider,
            ancestors,
            `${IAM}/${pool.name}`,
          ),
        );
    }
  }
  return lines.map((l) => JSON.stringify(l));
}

/** `gcloud iam service-accounts list --format=json` for one project. */
export function gcloudServiceAccountsList(p: EmuProject): object[] {
  return p.serviceAccounts.map((s) => s.account);
}

/** `gcloud iam service-accounts keys list --iam-account=EMAIL --format=json`, for every account of a project. */
export function gcloudKeysList(p: EmuProject): object[] {
  return p.serviceAccounts.flatMap((s) => s.keys);
}
