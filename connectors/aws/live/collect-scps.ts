/**
 * Service control policies read live from AWS Organizations with the management (or delegated
 * administrator) credentials, read-only: DescribeOrganization (the management account), ListPolicies
 * (filter SERVICE_CONTROL_POLICY), DescribePolicy and ListTargetsForPolicy per policy, and ListParents
 * up from each scanned account to the root. What they return is gathered into the same shape as the
 * organisation export, so both go through `buildOrganization` and are applied alike.
 */
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  ListPoliciesCommand,
  ListTargetsForPolicyCommand,
  type DescribeOrganizationCommandOutput,
  type DescribePolicyCommandOutput,
  type ListParentsCommandOutput,
  type ListPoliciesCommandOutput,
  type ListTargetsForPolicyCommandOutput,
} from '@aws-sdk/client-organizations';
import type { Resource } from '../../../src/model/index.js';
import { buildOrganization, type RawOrgExport, type RawOrgPolicy } from '../organization.js';
import type { AwsCalls } from './calls.js';
import type { AwsClients } from './clients.js';

const PART = 'service-control-policies';

export async function collectServiceControlPolicies(
  clients: AwsClients,
  calls: AwsCalls,
  accountIds: string[],
  source: string,
): Promise<{ resources: Resource[]; problems: { part: string; message: string }[] }> {
  const org: DescribeOrganizationCommandOutput = await calls.send(clients.organizations, new DescribeOrganizationCommand({}), PART);
  const policies = await listPolicies(clients, calls);
  // No SCP at all (a fresh organisation, or SCPs disabled): nothing to apply, no tree to read.
  if (!policies.length) return { resources: [], problems: [] };
  const parents = new Map<string, string | undefined>();
  const raw: RawOrgExport = {
    Accounts: [],
    Policies: [],
  };
  for (const id of accountIds) {
    raw.Accounts!.push({
      Id: id,
      Parents: await ancestors(clients, calls, id, parents),
      ...(id === org.Organization?.MasterAccountId ? { Management: true } : {}),
      ...(org.Organization?.Id ? { OrganizationId: org.Organization.Id } : {}),
    });
  }
  for (const summary of policies) raw.Policies!.push(await describePolicy(clients, calls, summary.Id!));
  return buildOrganization(raw, source);
}

async function listPolicies(clients: AwsClients, calls: AwsCalls) {
  const out: NonNullable<ListPoliciesCommandOutput['Policies']> = [];
  let token: string | undefined;
  do {
    const page: ListPoliciesCommandOutput = await calls.send(
      clients.organizations,
      new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY', NextToken: token }),
      PART,
    );
    out.push(...(page.Policies ?? []).filter((p) => p.Id));
    token = page.NextToken;
  } while (token);
  return out;
}

async function describePolicy(clients: AwsClients, calls: AwsCalls, policyId: string): Promise<RawOrgPolicy> {
  const described: DescribePolicyCommandOutput = await calls.send(
    clients.organizations,
    new DescribePolicyCommand({ PolicyId: policyId }),
    `${PART}:${policyId}`,
  );
  const targets: NonNullable<RawOrgPolicy['Targets']> = [];
  let token: string | undefined;
  do {
    const page: ListTargetsForPolicyCommandOutput = await calls.send(
      clients.organizations,
      new ListTargetsForPolicyCommand({ PolicyId: policyId, NextToken: token }),
      `${PART}:${policyId}`,
    );
    for (const t of page.Targets ?? []) targets.push({ TargetId: t.TargetId, Type: t.Type });
    token = page.NextToken;
  } while (token);
  return { PolicySummary: described.Policy?.PolicySummary ?? { Id: policyId }, Content: described.Policy?.Content, Targets: targets };
}

/** The root first, then each OU down to the account's parent; OUs shared by accounts are asked once. */
async function ancestors(clients: AwsClients, calls: AwsCalls, accountId: string, parents: Map<string, string | undefined>): Promise<string[]> {
  const chain: string[] = [];
  let child = accountId;
  for (let depth = 0; depth < 10; depth++) {
    if (!parents.has(child)) {
      const out: ListParentsCommandOutput = await calls.send(clients.organizations, new ListParentsCommand({ ChildId: child }), `${PART}:${accountId}`);
      const parent = out.Parents?.[0];
      parents.set(child, parent?.Type === 'ROOT' ? `root:${parent.Id}` : parent?.Id);
    }
    const parent = parents.get(child);
    if (!parent) break;
    if (parent.startsWith('root:')) {
      chain.unshift(parent.slice(5));
      break;
    }
    chain.unshift(parent);
    child = parent;
  }
  return chain;
}
