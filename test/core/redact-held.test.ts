import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config.js';
import { runScan } from '../../src/engine.js';
import { forgetHeldSecrets, holdEnvironmentSecrets, holdSecret } from '../../src/held-secrets.js';
import { silentLogger } from '../../src/log.js';
import { redactText } from '../../src/redact.js';
import { Registry } from '../../src/registry.js';
import { writeAtomicStream } from '../../src/atomic-write.js';

afterEach(() => forgetHeldSecrets());

describe('credential-keyed values in messages', () => {
  it.each([
    ['connect failed: password=hunter2hunter host=db', 'connect failed: password=[REDACTED] host=db'],
    ['bad config secret: s3cr3t-value here', 'bad config secret: [REDACTED] here'],
    ['{"client_secret": "abc.def", "n": 1}', '{"client_secret": "[REDACTED]", "n": 1}'],
    ['token=tok_123&x=1', 'token=[REDACTED]&x=1'],
    ['HTTP 401 Authorization: Bearer eyJhbGciOi.e30.sig rejected', 'HTTP 401 Authorization: Bearer [REDACTED] rejected'],
    ['authorization: Basic dXNlcjpwYXNz', 'authorization: Basic [REDACTED]'],
    ['API_KEY = zzz999', 'API_KEY = [REDACTED]'],
  ])('redacts %j', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each(['secrets: 5 of 7 read', 'GET /orgs/acme/actions/secrets: 403', 'using 3 tokens', 'password_enabled column', 'rule github-token-permissions'])(
    'leaves %j alone',
    (input) => {
      expect(redactText(input)).toBe(input);
    },
  );

  it('redacts password=VALUE in the error of a plugin connector, in the report', async () => {
    const registry = new Registry().register({
      name: 'leaky',
      connectors: [
        {
          scheme: 'leaky',
          description: 'x',
          collect: async () => {
            throw new Error('login failed for db://x (password=CorrectHorse9 secret: battery-staple)');
          },
        },
      ],
    });
    const result = await runScan({ registry, config: defaultConfig(), sources: ['leaky:1'], log: silentLogger });
    expect(result.sources[0]!.errors[0]!.message).toBe('login failed for db://x (password=[REDACTED] secret: [REDACTED])');
  });
});

describe('collected identifiers (identifier-sparing form)', () => {
  it('keeps an ARN whole, and still redacts a pair that follows a spared part (found by the import-samples sweep)', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-Ab12Cd';
    expect(redactText(arn, { spareIdentifiers: true })).toBe(arn);
    expect(redactText('aws:aws-secret:password=hunter2hunter2', { spareIdentifiers: true })).toBe('aws:aws-secret:password=[REDACTED]');
  });
});

describe('held credentials', () => {
  it('scrubs a held value of any shape, and each line of a held private key', () => {
    holdSecret('plain-value-with-no-shape-123', 'settings.x');
    const pem = `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\n${'B'.repeat(40)}\n-----END PRIVATE KEY-----\n`;
    holdSecret(pem, 'github-app-key');
    expect(redactText('got plain-value-with-no-shape-123 back')).toBe('got [REDACTED:settings.x] back');
    expect(redactText(`line ${'B'.repeat(40)}`)).toBe('line [REDACTED:github-app-key]');
  });

  it('holds credential variables of the environment, not the rest', () => {
    holdEnvironmentSecrets({ GITHUB_TOKEN: 'tok-abcdefgh-1', MY_SERVICE_PASSWORD: 'pw-abcdefgh-2', HOME: '/home/someone-long' });
    expect(redactText('tok-abcdefgh-1 pw-abcdefgh-2 /home/someone-long')).toBe('[REDACTED:GITHUB_TOKEN] [REDACTED:MY_SERVICE_PASSWORD] /home/someone-long');
  });

  it("scrubs held values from report files, even across the writer's block boundaries", async () => {
    const secret = 'held-credential-value-0123456789';
    holdSecret(secret, 'test');
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-held-'));
    const path = await writeAtomicStream(dir, 'r.txt', (sink) => {
      for (let i = 0; i < 200_000; i++) sink.write(i % 1000 === 0 ? secret : 'abcdefghijk'); // ~2.2 MB: several blocks
    });
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(secret);
    expect(text.split('[REDACTED:test]').length - 1).toBe(200);
  });
});
