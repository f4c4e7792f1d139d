/**
 * The emulator's Organizations policy actions (JSON 1.1, `AWSOrganizationsV20161128.*`; shapes from the
 * Organizations API reference): DescribeOrganization, ListPolicies, DescribePolicy, ListTargetsForPolicy
 * and ListParents, over the organisation tree and service control policies a test describes.
 */
import type { Doc } from './model.js';

export interface EmuOrganizationPolicies {
  organizationId?: string;
  rootId?: string;
  managementAccount?: string;
  /** Child (account or OU id) → parent (OU or root id); a child not listed sits under the root. */
  parents?: Record<string, string>;
  policies: { Id: string; Name: string; Content: Doc | string; Targets: string[]; AwsManaged?: boolean }[];
}

type Input = { NextToken?: string; MaxResults?: number; PolicyId?: string; ChildId?: string; Filter?: string };

const typeOf = (id: string) => (id.startsWith('r-') ? 'ROOT' : id.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT');

function page<T>(items: T[], input: Input, key: string): Record<string, unknown> {
  const start = Number(input.NextToken ?? 0);
  const size = input.MaxResults ?? 2;
  return { [key]: items.slice(start, start + size), ...(start + size < items.length ? { NextToken: String(start + size) } : {}) };
}

/** The answer to one policy action, or undefined when the action is not one of these. */
export function organizationPolicyAction(
  action: string,
  input: Input,
  org: EmuOrganizationPolicies,
  callerAccount: string,
): { status: number; body: unknown } | undefined {
  const orgId = org.organizationId ?? 'o-emulated';
  const root = org.rootId ?? 'r-emul';
  const management = org.managementAccount ?? callerAccount;
  const arn = (p: { Id: string; AwsManaged?: boolean }) =>
    p.AwsManaged
      ? `arn:aws:organizations::aws:policy/service_control_policy/${p.Id}`
      : `arn:aws:organizations::${management}:policy/${orgId}/service_control_policy/${p.Id}`;
  const summary = (p: EmuOrganizationPolicies['policies'][number]) => ({
    Id: p.Id,
    Arn: arn(p),
    Name: p.Name,
    Description: '',
    Type: 'SERVICE_CONTROL_POLICY',
    AwsManaged: !!p.AwsManaged,
  });
  const policy = () => org.policies.find((p) => p.Id === input.PolicyId);
  switch (action) {
    case 'DescribeOrganization':
      return {
        status: 200,
        body: {
          Organization: { Id: orgId, Arn: `arn:aws:organizations::${management}:organization/${orgId}`, FeatureSet: 'ALL', MasterAccountId: management },
        },
      };
    case 'ListPolicies':
      if (input.Filter !== 'SERVICE_CONTROL_POLICY') return { status: 400, body: { __type: 'InvalidInputException', Message: 'Filter is required' } };
      return { status: 200, body: page(org.policies.map(summary), input, 'Policies') };
    case 'DescribePolicy': {
      const p = policy();
      if (!p) return { status: 400, body: { __type: 'PolicyNotFoundException', Message: `policy ${input.PolicyId} not found` } };
      return { status: 200, body: { Policy: { PolicySummary: summary(p), Content: typeof p.Content === 'string' ? p.Content : JSON.stringify(p.Content) } } };
    }
    case 'ListTargetsForPolicy': {
      const p = policy();
      if (!p) return { status: 400, body: { __type: 'PolicyNotFoundException', Message: `policy ${input.PolicyId} not found` } };
      return {
        status: 200,
        body: page(
          p.Targets.map((id) => ({ TargetId: id, Arn: `arn:aws:organizations::${management}:target/${id}`, Name: id, Type: typeOf(id) })),
          input,
          'Targets',
        ),
      };
    }
    case 'ListParents': {
      const child = input.ChildId ?? '';
      if (child === root) return { status: 400, body: { __type: 'ChildNotFoundException', Message: 'a root has no parent' } };
      const parent = org.parents?.[child] ?? root;
      return { status: 200, body: page([{ Id: parent, Type: typeOf(parent) }], input, 'Parents') };
    }
    default:
      return undefined;
  }
}
