/**
 * One valid export per importer, for the tests that mutate them (wrong types, planted tokens): the
 * sample estate's files, and the exports the testkits build for the formats the estate does not ship.
 * `json` holds the parsed export (for NDJSON, the list of parsed lines); `render` writes it back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureEstate } from '../../testkit/azure/fixture-estate.js';
import { renderRoleAssignment, roleDefinitionsOf } from '../../testkit/azure/estate.js';
import { estateAsSnapshot, fixtureGcpEstate } from '../../testkit/gcp/estate.js';
import { gcloudKeysList, gcloudServiceAccountsList } from '../../testkit/gcp/exports.js';
import { ROOT } from './cli.js';

export interface ImportSample {
  /** The importer id that must read it. */
  importer: string;
  json: unknown;
  ndjson?: boolean;
}

const ESTATE = join(ROOT, 'examples/estate');
const estate = (path: string): unknown => JSON.parse(readFileSync(join(ESTATE, path), 'utf8'));

export function renderSample(sample: ImportSample, json: unknown = sample.json): string {
  return sample.ndjson ? (json as unknown[]).map((line) => JSON.stringify(line)).join('\n') : JSON.stringify(json);
}

/** What `az role assignment list --all` prints for the fixture estate's first subscription. */
export function azRoleAssignmentList() {
  const sub = fixtureEstate().subscriptions[0]!;
  const names = new Map(roleDefinitionsOf(sub).map((d) => [d.name, d.roleName]));
  return (sub.roleAssignments ?? []).map((a) => {
    const arm = renderRoleAssignment(sub, a);
    return {
      condition: null,
      id: arm.id,
      name: arm.name,
      principalId: a.principalId,
      principalName: a.principalType === 'ServicePrincipal' ? `sp-${a.name.slice(0, 4)}` : 'someone@contoso.example',
      principalType: a.principalType,
      roleDefinitionId: arm.properties.roleDefinitionId,
      roleDefinitionName: names.get(a.roleDefinition),
      scope: arm.properties.scope,
      type: 'Microsoft.Authorization/roleAssignments',
    };
  });
}

export function importSamples(): Record<string, ImportSample> {
  const tenant = estate('entra/contoso-tenant.json') as { applications: object[]; servicePrincipals: object[] };
  const strip = (objects: object[], ...relations: string[]) =>
    objects.map((o) => Object.fromEntries(Object.entries(o).filter(([key]) => !relations.includes(key))));
  const gcp = fixtureGcpEstate();
  const project = gcp.projects.find((p) => p.serviceAccounts.length)!;
  return {
    'github snapshot': { importer: 'github-snapshot', json: estate('github/acme-org.json') },
    'azure snapshot': { importer: 'azure-snapshot', json: estate('azure/contoso.json') },
    'az role assignment list': { importer: 'azure-role-assignments', json: azRoleAssignmentList() },
    'aws authorization details': { importer: 'aws-authorization-details', json: estate('aws/authorization-details.json') },
    'aws list-access-keys': { importer: 'aws-list-access-keys', json: estate('aws/access-keys.json') },
    'aws organization': { importer: 'aws-organization', json: estate('aws/organization.json') },
    'entra snapshot': { importer: 'entra', json: tenant },
    'az ad app list': { importer: 'entra', json: strip(tenant.applications, 'owners', 'federatedIdentityCredentials') },
    'az ad sp list': { importer: 'entra', json: { value: strip(tenant.servicePrincipals, 'owners', 'appRoleAssignments') } },
    'gcp snapshot': { importer: 'gcp-snapshot', json: JSON.parse(JSON.stringify(estateAsSnapshot(gcp))) },
    'gcp asset export': {
      importer: 'gcp-cloud-asset-export',
      ndjson: true,
      json: readFileSync(join(ESTATE, 'gcp/asset-export.ndjson'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    },
    'gcloud service-accounts list': { importer: 'gcloud-service-accounts-list', json: gcloudServiceAccountsList(project) },
    'gcloud keys list': { importer: 'gcloud-service-account-keys-list', json: gcloudKeysList(project) },
  };
}
