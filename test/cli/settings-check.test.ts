import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

// One CLI run per case would cost a process start each; every mistake goes into one config instead,
// which also proves that all of them are listed at once, not only the first.
const MISTAKES: [Record<string, unknown>, RegExp][] = [
  [{ github: { apiURL: 'https://ghe.example/api/v3' } }, /settings\.github\.apiURL: unknown setting \(known: allowInsecureHttp, apiUrl,/],
  [{ aws: { maxAttempt: 3 } }, /settings\.aws\.maxAttempt: unknown setting/],
  [{ azure: { vaultConcurrency: 'lots' } }, /settings\.azure\.vaultConcurrency: Invalid input: expected number/],
  [{ git: { maxFilesize: '1m' } }, /settings\.git\.maxFilesize: unknown setting/],
  [{ secrets: { allowlist: { path: ['x/**'] } } }, /settings\.secrets\.allowlist\.path: unknown setting/],
  [{ people: { alias: {} } }, /settings\.people\.alias: unknown setting/],
  [{ gihtub: {} }, /settings\.gihtub: no such source type \(known: .*github/],
];

describe('settings.* in the config are checked before scanning', () => {
  it('a misspelt or wrong-typed key is a config error naming it (exit 2), every one listed, before any source runs', async () => {
    const dir = tempDir();
    const settings = Object.assign({}, ...MISTAKES.map(([s]) => s));
    writeFileSync(join(dir, 'nhiscan.config.json'), JSON.stringify({ settings }));
    const run = await runCli(['scan', 'dir:.', '--out', 'out'], { cwd: dir });
    expect(run.code).toBe(2);
    for (const [, message] of MISTAKES) expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/internal error/);
  });

  it('accepts correct settings', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'nhiscan.config.json'),
      JSON.stringify({
        settings: {
          github: { apiUrl: 'https://ghe.example/api/v3' },
          secrets: { allowlist: { paths: ['x/**'] } },
          dir: { maxFileSize: '1m' },
          people: { aliases: { 'ci-bot': 'alice@example.com' } },
        },
      }),
    );
    const run = await runCli(['scan', 'dir:.', '--out', 'out', '--fail-on', 'none', '--quiet'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
