/**
 * Ownership with provenance joined to the people directory, the offboarding rules, remediation
 * commands and the lineage graph, on small inline inventories run through the real enrichers and
 * rule engine.
 */
import { describe, expect, it } from 'vitest';
import { secretScanningAlert } from '../../testkit/inventory/github.js';
import { corePlugin } from '../../src/core-plugin.js';
import { defaultConfig } from '../../src/config.js';
import { evaluateRules } from '../../src/evaluate.js';
import { ownerEnricher } from '../../src/enrichers/owners.js';
import { buildGraph, neighbourhood } from '../../src/lineage/graph.js';
import { riskiestChains } from '../../src/lineage/chains.js';
import { renderGraph } from '../../src/lineage/render.js';
import { silentLogger } from '../../src/log.js';
import type { Credential, Identity, Inventory, Person } from '../../src/model/index.js';
import { ownershipEnricher } from '../../src/ownership/enricher.js';
import { Registry } from '../../src/registry.js';

const NOW = new Date('2026-12-06T00:00:00Z');

const person = (email: string, status: Person['status'], extra: Partial<Person> = {}): Person => ({
  id: `person:${email}`,
  email,
  aliases: [],
  status,
  sources: ['people:hr.csv'],
  ...extra,
});
const identity = (name: string, extra: Partial<Identity> = {}): Identity => ({
  id: `aws:iam-user:${name}`,
  provider: 'aws',
  kind: 'iam-user',
  nativeId: name,
  name,
  scope: '123456789012',
  tags: {},
  grants: [],
  attributes: {},
  source: 'import:x',
  status: 'active',
  ...extra,
});
const key = (user: string, extra: Partial<Credential> = {}): Credential => ({
  id: `aws:aws-access-key:AKIA${user.toUpperCase().padEnd(16, 'X').slice(0, 16)}`,
  provider: 'aws',
  kind: 'aws-access-key',
  nativeId: `AKIA${user}`,
  name: `${user}/key`,
  identityId: `aws:iam-user:${user}`,
  scope: '123456789012',
  tags: {},
  status: 'active',
  createdAt: '2026-11-01T00:00:00Z',
  attributes: { userName: user, accessKeyId: `AKIA${user.toUpperCase().padEnd(16, 'X').slice(0, 16)}`, accountId: '123456789012' },
  source: 'import:x',
  ...extra,
});

function scan(inventory: Inventory) {
  const config = defaultConfig();
  const ctx = { config, now: NOW, log: silentLogger };
  ownerEnricher.enrich(inventory, ctx);
  ownershipEnricher.enrich(inventory, ctx);
  const registry = new Registry().register(corePlugin);
  return evaluateRules(registry, inventory, config, NOW, silentLogger);
}

describe('ownership and offboarding', () => {
  const people = [
    person('bob@acme.example', 'departed', { aliases: ['bob'], endDate: '2026-08-31T00:00:00.000Z', manager: 'alice@acme.example' }),
    person('alice@acme.example', 'active', { aliases: ['alice'] }),
  ];

  it('owners carry provenance and are joined to people; every owner departed on an admin is critical and names the manager', () => {
    const admin = identity('deployer', {
      tags: { owner: 'bob@acme.example' },
      attributes: { effective: { adminEquivalent: true, privilegeLevel: 'admin', escalationPaths: [] } },
    });
    const inventory: Inventory = { identities: [admin], credentials: [key('deployer')], people: structuredClone(people) };
    const findings = scan(inventory);
    expect(admin.owners).toEqual([
      expect.objectContaining({ id: 'bob@acme.example', source: 'tag:owner', confidence: 'high', personId: 'person:bob@acme.example', active: false }),
    ]);
    // The key inherits its identity's owner, saying so.
    expect(inventory.credentials[0]!.owner).toMatchObject({ id: 'bob@acme.example', reason: expect.stringContaining('owner of deployer') });
    const departed = findings.filter((f) => f.ruleId === 'owner-departed');
    expect(departed.map((f) => [f.resource.name, f.severity])).toEqual([['deployer', 'critical']]);
    expect(departed[0]!.evidence?.suggestedOwners).toEqual(['alice@acme.example']);
    expect(departed[0]!.remediationCommands).toEqual(['aws iam tag-user --user-name deployer --tags Key=owner,Value=NEW_OWNER']);
  });

  it('the last human who changed it, where the provider says so, is the least trusted owner (GitHub push-protection bypass)', () => {
    const alert = secretScanningAlert('acme/api#1', {
      owner: { id: '@acme/api-team', kind: 'team', source: 'codeowners' },
      attributes: { pushProtectionBypassedBy: 'bob' },
    });
    scan({ identities: [], credentials: [alert], people: structuredClone(people) });
    expect(alert.owners?.map((o) => [o.id, o.source, o.confidence, o.reason])).toEqual([
      ['@acme/api-team', 'codeowners', 'high', 'CODEOWNERS of the repository'],
      ['bob', 'last-changed:push-protection-bypass', 'low', 'pushed it past push protection (GitHub secret-scanning alert)'],
    ]);
    expect(alert.owners?.[1]).toMatchObject({ personId: 'person:bob@acme.example', active: false });
  });

  it('whoever last changed it does not take over from owners who left', () => {
    const alert = secretScanningAlert('acme/api#2', {
      status: 'active',
      owner: { id: 'bob', kind: 'user', source: 'codeowners' },
      attributes: { pushProtectionBypassedBy: 'alice' },
    });
    const findings = scan({ identities: [], credentials: [alert], people: structuredClone(people) });
    expect(alert.owners?.map((o) => [o.id, o.active])).toEqual([
      ['bob', false],
      ['alice', true],
    ]);
    expect(findings.filter((f) => f.ruleId === 'owner-departed').map((f) => f.resource.name)).toEqual(['acme/api#2']);
  });

  it('one remaining owner is enough; a departed creator of an active credential is still reported', () => {
    const user = identity('builder', { tags: { owner: 'alice@acme.example', createdBy: 'bob' } });
    const findings = scan({ identities: [user], credentials: [key('builder', { tags: { createdBy: 'bob' } })], people: structuredClone(people) });
    expect(findings.filter((f) => f.ruleId === 'owner-departed')).toEqual([]);
    expect(user.owners?.map((o) => [o.id, o.source, o.confidence])).toEqual([
      ['alice@acme.example', 'tag:owner', 'high'],
      ['bob', 'creator:tag:createdBy', 'medium'],
    ]);
    const creator = findings.filter((f) => f.ruleId === 'creator-departed');
    expect(creator.map((f) => f.resource.name)).toEqual(['builder/key']);
  });

  it('owners missing from a given directory are reported; teams and a scan without a directory are not', () => {
    const inventory = (withPeople: boolean): Inventory => ({
      identities: [identity('a', { tags: { owner: 'ghost@acme.example' } }), identity('b', { tags: { team: 'platform' } })],
      credentials: [],
      ...(withPeople ? { people: structuredClone(people) } : {}),
    });
    expect(
      scan(inventory(true))
        .filter((f) => f.ruleId === 'owner-unknown')
        .map((f) => f.resource.name),
    ).toEqual(['a']);
    expect(scan(inventory(false)).filter((f) => f.ruleId === 'owner-unknown')).toEqual([]);
  });

  it("an orphaned credential only where its identity's scope was scanned", () => {
    const findings = scan({ identities: [identity('present')], credentials: [key('gone'), key('elsewhere', { scope: '999999999999' })] });
    expect(findings.filter((f) => f.ruleId === 'orphaned-credential').map((f) => f.resource.name)).toEqual(['gone/key']);
  });

  it('environment isolation: one secret in a prod path and a staging path', () => {
    const leaked: Credential = {
      id: 'git:leaked-secret:sha256:1',
      provider: 'git',
      kind: 'leaked-secret',
      nativeId: 'sha256:1',
      name: 'x',
      tags: {},
      status: 'active',
      attributes: {},
      source: 'git:.',
      secret: { detector: 'generic', hash: 'sha256:1', preview: 'ab…(20 chars)' },
      locations: [
        { source: 'git:.', path: 'deploy/prod/app.env' },
        { source: 'git:.', path: 'deploy/staging/app.env' },
      ],
    };
    expect(
      scan({ identities: [], credentials: [leaked] })
        .filter((f) => f.ruleId === 'environment-isolation')
        .map((f) => f.evidence?.environments),
    ).toEqual([['production', 'non-production']]);
  });

  it('the lineage graph links leak → credential → identity → privilege → owner, renders three formats, and filters by node', () => {
    const admin = identity('deployer', {
      tags: { owner: 'bob@acme.example' },
      attributes: { effective: { adminEquivalent: true, privilegeLevel: 'admin', escalationPaths: [] } },
    });
    const live = key('deployer');
    const leaked: Credential = {
      id: 'git:leaked-secret:sha256:2',
      provider: 'git',
      kind: 'leaked-secret',
      nativeId: 'sha256:2',
      name: 'AKIA…',
      identityId: admin.id,
      tags: {},
      status: 'active',
      attributes: { matchedCredentialId: live.id },
      source: 'git:.',
      secret: { detector: 'aws-access-key-pair', hash: 'sha256:2', preview: 'AKIA…(20 chars)' },
      locations: [
        { source: 'git:.', repository: 'payments-api', path: 'deploy/ci.env', presentAtHead: true, authorEmail: 'bob@acme.example', commit: 'abc123' },
      ],
    };
    const inventory: Inventory = { identities: [admin, identity('bystander')], credentials: [live, leaked], people: structuredClone(people) };
    scan(inventory);
    const graph = buildGraph(inventory);
    const edge = (type: string, from: string, to: string) => graph.edges.some((e) => e.type === type && e.from === from && e.to === to);
    expect(edge('unlocks', leaked.id, live.id)).toBe(true);
    expect(edge('unlocks', live.id, admin.id)).toBe(true);
    expect(edge('grants', admin.id, `privilege:${admin.id}`)).toBe(true);
    expect(edge('owns', 'person:bob@acme.example', admin.id)).toBe(true);
    expect(graph.nodes.find((n) => n.id === 'person:bob@acme.example')?.flags).toEqual(['departed']);
    const [chain] = riskiestChains(inventory);
    expect(chain!.steps.map((s) => s.type)).toEqual(['location', 'leaked-secret', 'credential', 'identity', 'privilege', 'owner']);
    expect(chain!.steps.at(-1)!.flags).toEqual(['departed', 'manager alice@acme.example']);
    const around = neighbourhood(graph, admin.id, 1);
    expect(around.nodes.some((n) => n.id === 'aws:iam-user:bystander')).toBe(false);
    expect(renderGraph(around, 'dot')).toMatch(/^digraph nhiscan \{[\s\S]*-> n\d+ \[label="grants"\];/);
    expect(renderGraph(around, 'mermaid')).toMatch(/^flowchart LR\n[\s\S]*-->\|owns\|/);
    expect(JSON.parse(renderGraph(around, 'json')).edges.length).toBe(around.edges.length);
    // The leaked copy's remediation is the live key's revocation.
    const leakFinding = scan(inventory).find((f) => f.resource.id === leaked.id && f.ruleId === 'leaked-secret');
    expect(leakFinding?.remediationCommands?.[1]).toMatch(/^aws iam update-access-key --user-name deployer --access-key-id AKIA\w+ --status Inactive$/);
  });
});
