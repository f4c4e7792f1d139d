import { describe, expect, it } from 'vitest';
import { runScan, mergeInventories } from '../../src/engine.js';
import { Registry } from '../../src/registry.js';
import { corePlugin } from '../../src/core-plugin.js';
import { defaultConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import type { Connector, NhiscanPlugin } from '../../src/plugin.js';
import type { Credential } from '../../src/model/index.js';

function credential(id: string, extra: Partial<Credential> = {}): Credential {
  return { id, provider: 't', kind: 'api-key', nativeId: id, name: id, tags: {}, status: 'active', attributes: {}, source: 't', ...extra };
}

function registryWith(...connectors: Connector[]): Registry {
  const plugin: NhiscanPlugin = { name: 'test', connectors };
  return new Registry().register(corePlugin).register(plugin);
}

describe('engine', () => {
  it('runs sources concurrently up to the limit and isolates a failing one', async () => {
    let running = 0;
    let peak = 0;
    const slow: Connector = {
      scheme: 'slow',
      description: 'waits',
      async collect(ctx) {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 30));
        running--;
        return { identities: [], credentials: [credential(`c-${ctx.source.target}`)] };
      },
    };
    const boom: Connector = {
      scheme: 'boom',
      description: 'fails',
      collect: async () => {
        throw new Error('403 Forbidden for token ghp_' + 'x'.repeat(36));
      },
    };
    const result = await runScan({
      registry: registryWith(slow, boom),
      config: defaultConfig(),
      sources: ['slow:1', 'slow:2', 'boom', 'slow:3', 'slow:4'],
      log: silentLogger,
      concurrency: 2,
    });
    expect(peak).toBe(2);
    expect(result.sources.map((s) => `${s.spec}=${s.status}`)).toEqual(['slow:1=ok', 'slow:2=ok', 'boom=failed', 'slow:3=ok', 'slow:4=ok']);
    expect(result.inventory.credentials).toHaveLength(4);
    const error = result.sources[2]!.errors[0]!.message;
    expect(error).toMatch(/403 Forbidden/);
    expect(error).not.toMatch(/x{36}/); // error text passes through redaction
  });

  it('marks a source partial when it reports errors or uncovered parts', async () => {
    const partial: Connector = {
      scheme: 'p',
      description: 'partial',
      collect: async () => ({ identities: [], credentials: [], notCovered: [{ part: 'webhooks', reason: '403: needs admin:org_hook' }] }),
    };
    const result = await runScan({ registry: registryWith(partial), config: defaultConfig(), sources: ['p'], log: silentLogger });
    expect(result.sources[0]).toMatchObject({ status: 'partial', notCovered: [{ part: 'webhooks', reason: '403: needs admin:org_hook' }] });
  });

  it('merges the same credential from two sources into one with both locations', () => {
    const loc = (source: string, path: string) => ({ source, path, line: 3 });
    const merged = mergeInventories([
      { identities: [], credentials: [credential('secret:1', { locations: [loc('git:a', 'x.env')], tags: { a: '1' } })] },
      {
        identities: [],
        credentials: [
          credential('secret:1', { locations: [loc('git:b', 'y.env'), loc('git:a', 'x.env')], tags: { b: '2' }, lastUsedAt: '2026-01-01T00:00:00.000Z' }),
        ],
      },
    ]);
    expect(merged.credentials).toHaveLength(1);
    expect(merged.credentials[0]!.locations!.map((l) => `${l.source}:${l.path}`)).toEqual(['git:a:x.env', 'git:b:y.env']);
    expect(merged.credentials[0]!.tags).toEqual({ a: '1', b: '2' });
    expect(merged.credentials[0]!.lastUsedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('a provider rule that specialises a neutral rule takes those kinds over', async () => {
    const source: Connector = {
      scheme: 's',
      description: 's',
      collect: async () => ({
        identities: [],
        credentials: [credential('k1', { kind: 'deploy-key', createdAt: '2020-01-01T00:00:00Z' }), credential('k2', { createdAt: '2020-01-01T00:00:00Z' })],
      }),
    };
    const special: NhiscanPlugin = {
      name: 'special',
      rules: [
        {
          meta: {
            id: 'deploy-key-old',
            title: 't',
            category: 'unrotated-credential',
            defaultSeverity: 'high',
            owasp: ['NHI7'],
            description: 'd',
            remediation: 'r',
            specialises: { rule: 'credential-not-rotated', kinds: ['deploy-key'] },
          },
          check: (inv) =>
            inv.credentials
              .filter((c) => c.kind === 'deploy-key')
              .map((c) => ({ resource: { provider: c.provider, kind: c.kind, id: c.id, name: c.name }, message: 'old' })),
        },
      ],
    };
    const registry = registryWith(source).register(special);
    const result = await runScan({ registry, config: defaultConfig(), sources: ['s'], log: silentLogger, now: new Date('2026-11-29T00:00:00Z') });
    const rotation = result.findings
      .filter((f) => f.category === 'unrotated-credential')
      .map((f) => `${f.ruleId}:${f.resource.id}`)
      .sort();
    expect(rotation).toEqual(['credential-not-rotated:k2', 'deploy-key-old:k1']);

    const off = await runScan({
      registry,
      config: { ...defaultConfig(), rules: { 'deploy-key-old': 'off' } },
      sources: ['s'],
      log: silentLogger,
      now: new Date('2026-11-29T00:00:00Z'),
    });
    expect(
      off.findings
        .filter((f) => f.category === 'unrotated-credential')
        .map((f) => `${f.ruleId}:${f.resource.id}`)
        .sort(),
    ).toEqual(['credential-not-rotated:k1', 'credential-not-rotated:k2']);
  });

  it('a rule that throws is skipped with a warning, the others still run', async () => {
    const warnings: string[] = [];
    const broken: NhiscanPlugin = {
      name: 'b',
      rules: [
        {
          meta: { id: 'broken', title: 't', category: 'reuse', defaultSeverity: 'low', owasp: [], description: 'd', remediation: 'r' },
          check: () => {
            throw new Error('bug');
          },
        },
      ],
    };
    const source: Connector = {
      scheme: 's',
      description: 's',
      collect: async () => ({ identities: [], credentials: [credential('k', { createdAt: '2020-01-01T00:00:00Z' })] }),
    };
    const result = await runScan({
      registry: registryWith(source).register(broken),
      config: defaultConfig(),
      sources: ['s'],
      log: { ...silentLogger, warn: (m) => warnings.push(m) },
    });
    expect(warnings.join()).toMatch(/rule broken failed/);
    expect(result.analysisErrors).toEqual([{ stage: 'rule', id: 'broken', message: 'bug' }]);
    expect(result.findings.some((f) => f.ruleId === 'credential-not-rotated')).toBe(true);
  });

  it('applies suppressions, the baseline and the gate for any caller of runScan, not only the CLI', async () => {
    const now = new Date('2026-11-29T00:00:00Z');
    const old = { createdAt: '2020-01-01T00:00:00Z' };
    const source: Connector = {
      scheme: 's',
      description: 's',
      collect: async () => ({ identities: [], credentials: [credential('k1', old), credential('k2', old), credential('k3', old)] }),
    };
    const registry = registryWith(source);
    const first = await runScan({ registry, config: defaultConfig(), sources: ['s'], log: silentLogger, now, failOn: 'low' });
    const rotation = (id: string) => first.findings.find((f) => f.ruleId === 'credential-not-rotated' && f.resource.id === id)!;
    expect(first.gate).toEqual({ failOn: 'low', failed: true, gatingFindings: first.findings.length });

    const config = {
      ...defaultConfig(),
      suppressions: [
        { fingerprint: rotation('k1').fingerprint, reason: 'accepted' },
        { rule: 'credential-not-rotated', resource: 'k9', reason: 'gone', expires: '2026-01-01' },
      ],
    };
    // k3's findings are the baseline's; k1's are suppressed; the expired suppression is a finding of its own.
    const baseline = first.findings.filter((f) => f.resource.id === 'k3');
    const second = await runScan({ registry, config, sources: ['s'], log: silentLogger, now, failOn: 'low', baseline });
    const status = (id: string) =>
      second.findings.filter((f) => f.resource.id === id).map((f) => `${f.ruleId}:${f.status}:${f.suppressed ? 'suppressed' : 'active'}`);
    expect(status('k1')).toContain('credential-not-rotated:new:suppressed');
    expect(status('k3').every((s) => s.includes(':persisting:'))).toBe(true);
    const expired = second.findings.find((f) => f.ruleId === 'suppression-expired')!;
    expect(expired).toMatchObject({ status: 'new', severity: 'low' });
    const gating = second.findings.filter((f) => !f.suppressed && f.status === 'new');
    expect(second.gate).toEqual({ failOn: 'low', failed: true, gatingFindings: gating.length });
    expect(second.unusedSuppressions).toEqual([]);
    const none = await runScan({ registry, config, sources: ['s'], log: silentLogger, now, failOn: 'none' });
    expect(none.gate).toEqual({ failOn: 'none', failed: false, gatingFindings: 0 });
  });
});
