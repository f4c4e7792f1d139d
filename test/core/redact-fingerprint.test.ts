import { describe, expect, it } from 'vitest';
import { redactedPreview, redactText, secretHash } from '../../src/redact.js';
import { findingFingerprint } from '../../src/fingerprint.js';
import { toIsoDate } from '../../src/time.js';

// Built at run time so no token-shaped literal sits in the source.
const fakeGhp = () => 'ghp' + '_' + 'A1b2C3d4E5'.repeat(3) + 'F6g7h8';

describe('redaction', () => {
  it('previews show the type marker and a few characters, never most of the value', () => {
    const token = fakeGhp();
    const preview = redactedPreview(token);
    expect(preview).toBe('ghp_A1…(40 chars)');
    expect(redactedPreview('hunter2')).toBe('h…(7 chars)');
    expect(redactedPreview('ab')).toBe('…(2 chars)');
    const long = 'Zq8' + 'x9Lm2'.repeat(8);
    expect(redactedPreview(long).replace(/….*/, '').length).toBeLessThanOrEqual(long.length / 4);
  });

  it('hashes identify a secret without revealing it', () => {
    expect(secretHash('s3cr3t')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(secretHash('s3cr3t')).toBe(secretHash('s3cr3t'));
    expect(secretHash('s3cr3t')).not.toBe(secretHash('s3cr3T'));
  });

  it('scrubs known token shapes from free text such as SDK error messages', () => {
    const token = fakeGhp();
    const key = 'AKIA' + 'Z'.repeat(4) + '2345ABCD6789';
    const pem = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEow' + 'A'.repeat(60), '-----END RSA PRIVATE KEY-----'].join('\n');
    const text = redactText(`bad credentials ${token} for ${key}\n${pem}`);
    expect(text).not.toContain(token);
    expect(text).not.toContain(key);
    expect(text).not.toContain('MIIEow');
    expect(text).toContain('ghp_[REDACTED]');
  });
});

describe('fingerprints', () => {
  it('depend on rule, resource and key only', () => {
    const a = findingFingerprint('leaked-secret', 'secret:leaked-secret:abc', 'config/app.env');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(findingFingerprint('leaked-secret', 'secret:leaked-secret:abc', 'config/app.env')).toBe(a);
    expect(findingFingerprint('leaked-secret', 'secret:leaked-secret:abd', 'config/app.env')).not.toBe(a);
    expect(findingFingerprint('leaked-secret', 'secret:leaked-secret:abc', 'config/other.env')).not.toBe(a);
    expect(findingFingerprint('secret-reuse', 'secret:leaked-secret:abc', 'config/app.env')).not.toBe(a);
  });
});

describe('dates', () => {
  it('normalises the shapes providers use to ISO 8601 UTC', () => {
    expect(toIsoDate('2020-01-01T00:00:00+00:00')).toBe('2020-01-01T00:00:00.000Z');
    expect(toIsoDate('2020-01-01T02:00:00+02:00')).toBe('2020-01-01T00:00:00.000Z');
    expect(toIsoDate(1577836800)).toBe('2020-01-01T00:00:00.000Z');
    expect(toIsoDate(1577836800000)).toBe('2020-01-01T00:00:00.000Z');
    expect(toIsoDate('N/A')).toBeUndefined();
    expect(toIsoDate('no_information')).toBeUndefined();
    expect(toIsoDate('not a date')).toBeUndefined();
    expect(toIsoDate(new Date('2020-01-01T00:00:00Z'))).toBe('2020-01-01T00:00:00.000Z');
  });
});
