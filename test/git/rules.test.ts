import { describe, expect, it } from 'vitest';
import leakedSecret from '../../rules/secrets/leaked-secret.js';
import secretReuse from '../../rules/secrets/secret-reuse.js';
import { secretsRules } from '../../rules/secrets/index.js';
import { gitPlugin } from '../../connectors/git/plugin.js';
import { dirPlugin } from '../../connectors/dir/plugin.js';
import { corePlugin } from '../../src/core-plugin.js';
import { defaultConfig } from '../../src/config.js';
import type { Credential, Inventory, Location, Severity } from '../../src/model/index.js';

const context = { now: new Date('2026-11-29T00:00:00Z'), config: defaultConfig() };
const HASH = `sha256:${'ab'.repeat(32)}`;

function leaked(severity: Severity, locations: Location[], extra: Partial<Credential> = {}): Credential {
  return {
    id: `secret:leaked-secret:${HASH.slice(7)}`,
    provider: 'aws',
    kind: 'leaked-secret',
    nativeId: HASH.slice(7),
    name: 'AWS access key AKIA…',
    tags: {},
    status: 'unknown',
    locations,
    secret: { detector: 'aws-access-key-pair', hash: HASH, preview: 'wJal…(40 chars)', decoded: { accessKeyId: 'AKIAEXAMPLEID' } },
    attributes: { detectorTitle: 'AWS access key', severity, confidence: 'high' },
    source: 'git:repo',
    ...extra,
  };
}

const at = (path: string, commit: string, date: string, presentAtHead: boolean, repository = 'repo', source = 'git:repo'): Location => ({
  source,
  repository,
  path,
  line: 3,
  commit,
  author: 'Alice Dev',
  authorEmail: 'alice@example.com',
  date,
  presentAtHead,
});

const inv = (...credentials: Credential[]): Inventory => ({ identities: [], credentials });
const options = (rule: typeof leakedSecret | typeof secretReuse) => rule.meta.optionsSchema!.parse({});

describe('leaked-secret rule', () => {
  it('reports one finding per file, at the introducing commit, without the value, raised while still at HEAD', () => {
    const credential = leaked('high', [
      at('deploy/ci.env', 'c2c2c2c2c2c2c2c2', '2025-03-01T00:00:00.000Z', true),
      at('deploy/ci.env', 'c1c1c1c1c1c1c1c1', '2025-01-01T00:00:00.000Z', true),
      at('old/creds.txt', 'c0c0c0c0c0c0c0c0', '2024-06-01T00:00:00.000Z', false),
    ]);
    const findings = leakedSecret.check(inv(credential), options(leakedSecret), context);
    expect(findings).toHaveLength(2);
    const atHead = findings.find((f) => f.key === 'repo:deploy/ci.env')!;
    expect(atHead.severity).toBe('critical');
    expect(atHead.location).toEqual({
      path: 'deploy/ci.env',
      line: 3,
      commit: 'c1c1c1c1c1c1c1c1',
      repository: 'repo',
      source: 'git:repo',
    });
    expect(atHead.message).toContain('introduced in commit c1c1c1c1c1c1 by Alice Dev <alice@example.com> on 2025-01-01');
    expect(atHead.message).toContain('still present at HEAD');
    expect(atHead.message).toContain('wJal…(40 chars)');
    expect(atHead.message).toContain(HASH.slice(0, 19));
    expect(atHead.evidence).toMatchObject({ presentAtHead: true, hash: HASH, detector: 'aws-access-key-pair', decoded: { accessKeyId: 'AKIAEXAMPLEID' } });
    const history = findings.find((f) => f.key === 'repo:old/creds.txt')!;
    // Validated: history alone does not take it below the default gate (removing it does not revoke it).
    expect(history.severity).toBe('high');
    expect(history.message).toContain('removed from HEAD but still in history');
  });

  it('ranks a cloud key above a test token, and a working-tree hit as present', () => {
    const cloud = leakedSecret.check(inv(leaked('critical', [at('a.env', 'c1', '2025-01-01T00:00:00Z', false)])), options(leakedSecret), context)[0]!;
    const token = leakedSecret.check(inv(leaked('low', [at('a.env', 'c1', '2025-01-01T00:00:00Z', false)])), options(leakedSecret), context)[0]!;
    expect(cloud.severity).toBe('high');
    expect(token.severity).toBe('info');
    const dir = leakedSecret.check(inv(leaked('medium', [{ source: 'dir:.', repository: '.', path: 'x.env', line: 1 }])), options(leakedSecret), context)[0]!;
    expect(dir.severity).toBe('high');
    expect(dir.message).not.toMatch(/HEAD/);
    const lowConfidence = leakedSecret.check(
      inv(leaked('medium', [{ source: 'dir:.', path: 'x.env', line: 1 }], { attributes: { severity: 'medium', confidence: 'low' } })),
      options(leakedSecret),
      context,
    )[0]!;
    expect(lowConfidence.severity).toBe('medium');
  });

  it('takes severity from confidence and context: critical only when validated outside test context, context lowers but never hides', () => {
    const judge = (attributes: Record<string, unknown>, path: string) =>
      leakedSecret.check(
        inv(leaked('high', [{ source: 'dir:.', repository: '.', path, line: 1 }], { attributes: { severity: 'high', ...attributes } })),
        options(leakedSecret),
        context,
      )[0]!;
    expect(judge({ assurance: 'validated', confidence: 'high' }, 'deploy/ci.env').severity).toBe('critical');
    expect(judge({ assurance: 'structured', confidence: 'high' }, 'deploy/ci.env').severity).toBe('high');
    const fixture = judge({ assurance: 'validated', confidence: 'high' }, 't/lib-gpg/keyring.gpg');
    expect(fixture.severity).toBe('medium');
    expect(fixture.evidence).toMatchObject({ confidence: 'validated', context: ['test-path'] });
    expect(fixture.message).toContain('test context');
    expect(judge({ assurance: 'validated', confidence: 'high', testCredential: true }, 'app/.env').severity).toBe('medium');
    expect(judge({ assurance: 'generic', confidence: 'low' }, 'docs/setup.md').severity).toBe('medium');
  });

  it("lowers a validated key in vendored code or a bundle to medium, naming why: a dependency's own test key is not the repository's leak", () => {
    const judge = (path: string) =>
      leakedSecret.check(
        inv(
          leaked('high', [{ source: 'dir:.', repository: '.', path, line: 1 }], {
            attributes: { severity: 'high', assurance: 'validated', confidence: 'high' },
          }),
        ),
        options(leakedSecret),
        context,
      )[0]!;
    const vendored = judge('myenv/lib/python3.12/site-packages/pytest_httpbin/certs/server.key');
    expect(vendored.severity).toBe('medium');
    expect(vendored.evidence).toMatchObject({ context: ['vendored-path'] });
    expect(judge('web/node_modules/pkg/key.pem').severity).toBe('medium');
    expect(judge('static/js/app.min.js').evidence).toMatchObject({ context: ['bundled-file'] });
    expect(judge('static/js/app.min.js').severity).toBe('medium');
    expect(judge('src/vendoring.py').severity).toBe('critical'); // a name containing "vendor" is not a vendored folder
  });

  it('lists every place of a secret in the evidence', () => {
    const places = [1, 7, 9].map((line) => ({ source: 'dir:.', repository: '.', path: 'a.env', line }));
    const [finding] = leakedSecret.check(inv(leaked('high', places)), options(leakedSecret), context);
    expect(finding!.evidence!.places).toEqual([
      { path: 'a.env', line: 1 },
      { path: 'a.env', line: 7 },
      { path: 'a.env', line: 9 },
    ]);
    expect(finding!.message).toContain('and 2 other places');
  });

  it('ignores credentials that are not secrets found in code', () => {
    const managed = { ...leaked('high', []), kind: 'aws-access-key', secret: undefined };
    expect(leakedSecret.check(inv(managed), options(leakedSecret), context)).toEqual([]);
  });
});

describe('secret-reuse rule', () => {
  it('flags one secret seen in two repositories, not one repository with two files', () => {
    const single = leaked('critical', [at('a.env', 'c1', '2025-01-01T00:00:00Z', true), at('b.env', 'c2', '2025-01-02T00:00:00Z', true)]);
    expect(secretReuse.check(inv(single), options(secretReuse), context)).toEqual([]);
    const shared = leaked('critical', [
      at('a.env', 'c1', '2025-01-01T00:00:00Z', true),
      at('a.env', 'd1', '2025-02-01T00:00:00Z', true, 'other-repo', 'git:other-repo'),
      { source: 'dir:/srv/app', path: 'app.env', line: 1 },
    ]);
    const [finding] = secretReuse.check(inv(shared), options(secretReuse), context);
    expect(finding!.severity).toBe('high');
    expect(finding!.evidence).toMatchObject({ repositories: ['dir:/srv/app', 'other-repo', 'repo'] });
    expect(finding!.message).toContain('3 repositories');
  });
});

describe('plugins', () => {
  it('register the git, staged and dir connectors; core registers the secret rules, which judge both', () => {
    expect(gitPlugin.connectors!.map((c) => c.scheme)).toEqual(['git', 'staged']);
    expect(gitPlugin.rules ?? []).toEqual([]);
    expect(dirPlugin.rules ?? []).toEqual([]);
    for (const rule of secretsRules) expect(corePlugin.rules).toContain(rule);
    expect(secretsRules.map((r) => [r.meta.id, r.meta.category, r.meta.owasp[0]])).toEqual([
      ['leaked-secret', 'leaked-secret', 'NHI2'],
      ['secret-reuse', 'reuse', 'NHI9'],
    ]);
    expect(dirPlugin.connectors!.map((c) => c.scheme)).toEqual(['dir']);
    expect(gitPlugin.connectors![0]!.options!.map((o) => o.name)).toEqual(expect.arrayContaining(['since', 'range', 'max-file-size', 'cache-dir', 'no-cache']));
    expect(dirPlugin.connectors![0]!.options!.map((o) => o.name)).toContain('no-ignore');
  });
});
