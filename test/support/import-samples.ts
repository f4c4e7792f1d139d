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
import { credential, identity } from '../../testkit/inventory/core.js';
import { syntheticReport } from '../../testkit/report-builder.js';
import { ROOT } from './cli.js';

export interface ImportSample {
  /** The importer id that must read it. */
  importer: string;
  json: unknown;
  ndjson?: boolean;
  /** CLI options the import needs (a project policy does not name its project). */
  options?: Record<string, unknown>;
}

/**
 * Importers with no JSON sample here, and why: the sweeps mutate JSON fields. The credential report is
 * CSV; its parser has its own property tests (test/core/property.test.ts).
 */
export const IMPORTERS_WITHOUT_JSON_SAMPLE: Record<string, string> = {
  'aws-credential-report': 'CSV (test/core/property.test.ts fuzzes its parser)',
};

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

/** A saved nhiscan JSON report (re-read by `import:` and `merge`), with an inventory to mutate. */
function nhiscanReport(): unknown {
  const arn = 'arn:aws:iam::123456789012:user/ci';
  const user = identity({
    provider: 'aws',
    kind: 'iam-user',
    nativeId: arn,
    name: 'ci',
    scope: '123456789012',
    attributes: { arn, accountId: '123456789012', path: '/' },
  });
  const key = credential({ provider: 'aws', kind: 'aws-access-key', nativeId: 'ci-key-1', identityId: user.id, createdAt: '2025-01-01T00:00:00Z' });
  return JSON.parse(JSON.stringify({ ...syntheticReport(3), inventory: { identities: [user], credentials: [key] } }));
}

/** The outputs the resource-policy loops of docs/aws.md print: one public bucket, a function, a topic and a queue. */
function resourcePolicyOutputs() {
  const account = '123456789012';
  const policy = (action: string, resource: string, principal: unknown) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Grant', Effect: 'Allow', Principal: principal, Action: action, Resource: resource }] });
  const fn = `arn:aws:lambda:eu-west-1:${account}:function:nightly`;
  const topic = `arn:aws:sns:eu-west-1:${account}:alerts`;
  const queue = `arn:aws:sqs:eu-west-1:${account}:jobs`;
  return {
    s3: [
      { Policy: policy('s3:GetObject', 'arn:aws:s3:::public-site/*', '*'), Bucket: 'public-site', AccountId: account },
      { Bucket: 'private-data', AccountId: account },
    ],
    lambda: [
      {
        Policy: policy('lambda:InvokeFunction', fn, { Service: 's3.amazonaws.com' }),
        RevisionId: 'rev-1',
        FunctionArn: fn,
        Role: `arn:aws:iam::${account}:role/app`,
      },
    ],
    sns: [
      { Attributes: { Policy: policy('sns:Subscribe', topic, { AWS: 'arn:aws:iam::210987654321:root' }), TopicArn: topic, Owner: account, DisplayName: '' } },
    ],
    sqs: [{ Attributes: { Policy: policy('sqs:SendMessage', queue, '*'), QueueArn: queue } }, { Attributes: { QueueArn: `${queue}-internal` } }],
  };
}

export function importSamples(): Record<string, ImportSample> {
  const policies = resourcePolicyOutputs();
  const tenant = estate('entra/contoso-tenant.json') as { applications: object[]; servicePrincipals: object[] };
  const strip = (objects: object[], ...relations: string[]) =>
    objects.map((o) => Object.fromEntries(Object.entries(o).filter(([key]) => !relations.includes(key))));
  const gcp = fixtureGcpEstate();
  const project = gcp.projects.find((p) => p.serviceAccounts.length)!;
  return {
    'nhiscan report': { importer: 'nhiscan-report', json: nhiscanReport() },
    'github snapshot': { importer: 'github-snapshot', json: estate('github/acme-org.json') },
    'azure snapshot': { importer: 'azure-snapshot', json: estate('azure/contoso.json') },
    'az role assignment list': { importer: 'azure-role-assignments', json: azRoleAssignmentList() },
    'aws authorization details': { importer: 'aws-authorization-details', json: estate('aws/authorization-details.json') },
    'aws list-access-keys': { importer: 'aws-list-access-keys', json: estate('aws/access-keys.json') },
    'aws organization': { importer: 'aws-organization', json: estate('aws/organization.json') },
    'aws secretsmanager list-secrets': { importer: 'aws-list-secrets', json: estate('aws/secrets.json') },
    'aws kms describe-key': { importer: 'aws-kms-describe-key', json: estate('aws/kms-keys.json') },
    'aws s3api get-bucket-policy': { importer: 'aws-s3-bucket-policy', json: policies.s3 },
    'aws lambda get-policy': { importer: 'aws-lambda-policy', json: policies.lambda },
    'aws sns get-topic-attributes': { importer: 'aws-sns-topic-attributes', json: policies.sns },
    'aws sqs get-queue-attributes': { importer: 'aws-sqs-queue-attributes', json: policies.sqs },
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
    'gcloud projects get-iam-policy': {
      importer: 'gcloud-projects-get-iam-policy',
      json: structuredClone(project.policy),
      options: { 'gcp-project': project.project.projectId },
    },
  };
}
