import { describe, expect, it } from 'vitest';
import { applySuppressions, wildcardMatcher } from '../../src/suppress.js';
import type { Finding } from '../../src/model/index.js';
import { suppressionExpiredRule } from '../../rules/core/suppression-expired.js';

const expiredRule = { meta: suppressionExpiredRule.meta };

function finding(ruleId: string, id: string, name: string, fingerprint = `${ruleId}-${name}`): Finding {
  return {
    fingerprint,
    ruleId,
    category: 'long-lived-credential',
    severity: 'medium',
    title: 't',
    message: 'm',
    resource: { provider: 'azure', kind: 'keyvault-secret', id, name },
    owasp: [],
    remediation: 'r',
  };
}

const NOW = new Date('2027-01-31T15:00:00Z');

describe('suppressions', () => {
  it('resource patterns cross slashes, as ARNs and vault/secret names need', () => {
    const findings = [
      finding('credential-long-lived', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/legacy-kv/secrets/db', 'legacy-kv/db'),
      finding('credential-long-lived', 'aws:iam-user:arn:aws:iam::123456789012:user/ci/ci-deployer', 'ci-deployer'),
      finding('credential-long-lived', '/subscriptions/s/.../vaults/prod-kv/secrets/db', 'prod-kv/db'),
    ];
    const outcome = applySuppressions(
      findings,
      [
        { rule: 'credential-long-lived', resource: 'LEGACY-kv*', reason: 'retired in Q1' },
        { rule: 'credential-long-lived', resource: 'aws:iam-user:*ci*', reason: 'CI user, tracked in SEC-1' },
      ],
      NOW,
    );
    expect(findings.map((f) => !!f.suppressed)).toEqual([true, true, false]);
    expect(outcome.unused).toEqual([]);
    expect(wildcardMatcher('a?c')('abc')).toBe(true);
    expect(wildcardMatcher('a.c')('abc')).toBe(false); // regex characters are literal
  });

  it('a date-only expiry still suppresses on that day and stops the day after', () => {
    const s = [{ rule: 'credential-long-lived', reason: 'until end of January', expires: '2027-01-31' }];
    const today = [finding('credential-long-lived', 'x', 'x')];
    expect(applySuppressions(today, s, NOW, expiredRule).expired).toEqual([]);
    expect(today[0]!.suppressed?.reason).toBe('until end of January');
    const tomorrow = [finding('credential-long-lived', 'x', 'x')];
    const outcome = applySuppressions(tomorrow, s, new Date('2027-02-01T00:00:00Z'), { ...expiredRule, severity: 'high' });
    expect(tomorrow[0]!.suppressed).toBeUndefined();
    expect(outcome.expired).toHaveLength(1);
    expect(outcome.expired[0]).toMatchObject({ ruleId: 'suppression-expired', severity: 'high' });
  });

  it('an expired suppression keeps its fingerprint when the config is reordered; unused ones are listed', () => {
    const a = { rule: 'r1', reason: 'a', expires: '2020-01-01' };
    const b = { rule: 'r2', resource: 'nothing-*', reason: 'b' };
    const first = applySuppressions([], [a, b], NOW, expiredRule);
    const reordered = applySuppressions([], [b, a], NOW, expiredRule);
    expect(first.expired[0]!.fingerprint).toBe(reordered.expired[0]!.fingerprint);
    expect(first.unused).toEqual(['rule r2 on nothing-*']);
  });

  it('an expired suppression only stops suppressing when its rule is off', () => {
    const tomorrow = [finding('credential-long-lived', 'x', 'x')];
    const outcome = applySuppressions(tomorrow, [{ rule: 'credential-long-lived', reason: 'r', expires: '2027-01-30' }], NOW);
    expect(outcome.expired).toEqual([]);
    expect(tomorrow[0]!.suppressed).toBeUndefined();
  });
});
