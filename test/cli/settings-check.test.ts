import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

describe('settings.* in the config are checked before scanning', () => {
  it.each([
    [{ github: { apiURL: 'https://ghe.example/api/v3' } }, /settings\.github\.apiURL: unknown setting \(known: allowInsecureHttp, apiUrl,/],
    [{ aws: { maxAttempt: 3 } }, /settings\.aws\.maxAttempt: unknown setting/],
    [{ azure: { vaultConcurrency: 'lots' } }, /settings\.azure\.vaultConcurrency: Invalid input: expected number/],
    [{ git: { maxFilesize: '1m' } }, /settings\.git\.maxFilesize: unknown setting/],
    [{ secrets: { allowlist: { path: ['x/**'] } } }, /settings\.secrets\.allowlist\.path: unknown setting/],
    [{ gihtub: {} }, /settings\.gihtub: no such source type \(known: .*github/],
  ])('%j is a config error naming the key (exit 2), before any source runs', async (settings, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'nhiscan.config.json'), JSON.stringify({ settings }));
    const run = await runCli(['scan', 'dir:.', '--out', 'out'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/internal error/);
  });

  it('accepts correct settings', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'nhiscan.config.json'), JSON.stringify({ settings: { github: { apiUrl: 'https://ghe.example/api/v3' }, secrets: { allowlist: { paths: ['x/**'] } }, dir: { maxFileSize: '1m' } } }));
    const run = await runCli(['scan', 'dir:.', '--out', 'out', '--fail-on', 'none', '--quiet'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
