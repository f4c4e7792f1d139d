/**
 * IAM users that are people (console password with MFA, no active access key) become people of the
 * scan, from the live source and from an imported credential report, while staying out of the NHI
 * ownership rules.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { awsConnector } from '../../connectors/aws/live/connector.js';
import { awsImporters } from '../../connectors/aws/importers.js';
import { findImporter } from '../../src/engine.js';
import { defaultConfig } from '../../src/config.js';
import { evaluateRules } from '../../src/evaluate.js';
import { silentLogger } from '../../src/log.js';
import { markHumans } from '../../src/aws-iam/humans.js';
import { Registry } from '../../src/registry.js';
import { corePlugin } from '../../src/core-plugin.js';
import { AccountBuilder } from '../../testkit/aws/model.js';
import { credentialReportCsv } from '../../testkit/aws/exports.js';
import { AwsEmulator } from '../../testkit/aws/server.js';
import { testContext } from '../support/context.js';

const PASSWORD = { CreateDate: '2024-01-01T00:00:00Z', LastUsed: '2026-11-20T00:00:00Z' };

function peopleAccount() {
  const b = new AccountBuilder('210987654321');
  b.user('dana', { Password: PASSWORD, Mfa: true, Tags: { Email: 'Dana.Lee@acme.example' } });
  b.user('erik@acme.example', { Password: PASSWORD, Mfa: true });
  // Not people: a console user without MFA, a console user with an active key, a workload.
  b.user('shared-console', { Password: PASSWORD });
  b.user('hybrid', { Password: PASSWORD, Mfa: true, keys: [{ CreateDate: '2026-10-01T00:00:00Z' }] });
  b.user('etl-bot', { keys: [{ CreateDate: '2026-10-01T00:00:00Z' }] });
  return b.account;
}

const EXPECTED = [
  ['person:dana.lee@acme.example', 'dana.lee@acme.example', ['dana'], 'active'],
  ['person:erik@acme.example', 'erik@acme.example', [], 'active'],
];
const summary = (people: { id: string; email?: string; aliases: string[]; status: string }[] | undefined) =>
  (people ?? []).map((p) => [p.id, p.email, p.aliases, p.status]);

let emulator: AwsEmulator | undefined;
const savedEnv = { ...process.env };
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
  process.env = { ...savedEnv };
});

describe('AWS IAM users that are people', () => {
  it('the live source lists them as people; they stay identities, marked human, not judged as NHIs', async () => {
    emulator = await new AwsEmulator({ accounts: [peopleAccount()] }).start();
    process.env.AWS_ENDPOINT_URL = emulator.url;
    const result = await awsConnector.collect(testContext('aws', { options: { reportPollMs: 5, maxAttempts: 4 } }));
    expect(result.status).toBe('ok');
    expect(summary(result.people)).toEqual(EXPECTED);
    expect(result.people!.every((p) => p.sources[0] === 'aws')).toBe(true);
    expect(result.stats.people).toBe(2);
    expect(result.identities.filter((i) => i.kind === 'iam-user').map((i) => i.name)).toContain('dana');

    // Through the rules: the people's own accounts get no "no owner" finding; the workload does.
    const inventory = { identities: result.identities, credentials: result.credentials, people: result.people };
    markHumans(inventory);
    const registry = new Registry().register(corePlugin);
    const findings = evaluateRules(registry, inventory, defaultConfig(), new Date('2026-11-29T00:00:00Z'), silentLogger);
    const unowned = findings.filter((f) => f.ruleId === 'missing-owner').map((f) => f.resource.name);
    expect(unowned).toContain('etl-bot');
    expect(unowned).not.toContain('dana');
    expect(unowned).not.toContain('erik@acme.example');
  });

  it('an imported credential report lists the same people (no tags there: the user name is the handle)', async () => {
    const csv = credentialReportCsv(peopleAccount());
    const { importer, input } = findImporter(awsImporters, '/tmp/report.csv', csv);
    const result = await importer!.read(input, testContext('import:/tmp/report.csv'));
    expect(summary(result.people)).toEqual([
      ['person:dana', undefined, ['dana'], 'active'],
      ['person:erik@acme.example', 'erik@acme.example', [], 'active'],
    ]);
  });
});
