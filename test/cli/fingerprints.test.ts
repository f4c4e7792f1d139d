import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readReport, runCli, tempDir } from '../support/cli.js';
import { Rng, fakeGithubClassicPat, fakeSlackBotToken } from '../../testkit/fake-tokens.js';

describe('finding fingerprints (CLI)', () => {
  it('stay the same when unrelated lines move or the scan reruns; two secrets on one line differ', async () => {
    const dir = tempDir();
    const tree = join(dir, 'app');
    mkdirSync(tree);
    const rng = new Rng(7);
    const github = fakeGithubClassicPat(rng);
    const slack = fakeSlackBotToken(rng);
    const line = `tokens = { github: "${github}", slack: "${slack}" }`;
    writeFileSync(join(tree, 'settings.py'), `import os\n${line}\n`);

    const scan = async (out: string) => {
      const run = await runCli(['scan', 'dir:app', '--out', out, '--format', 'json', '--fail-on', 'none', '--quiet'], { cwd: dir });
      expect(run.code).toBe(0);
      return readReport(join(dir, out)).findings.filter((f: any) => f.ruleId === 'leaked-secret');
    };
    const first = await scan('one');
    expect(first).toHaveLength(2);
    expect(new Set(first.map((f: any) => f.location.line))).toEqual(new Set([2]));
    expect(first[0].fingerprint).not.toBe(first[1].fingerprint);

    const rerun = await scan('two');
    expect(rerun.map((f: any) => f.fingerprint).sort()).toEqual(first.map((f: any) => f.fingerprint).sort());

    writeFileSync(join(tree, 'settings.py'), `"""Settings."""\nimport os\nimport sys\n\nDEBUG = False\n${line}\n`);
    const moved = await scan('three');
    expect(moved.map((f: any) => f.location.line)).toEqual([6, 6]);
    expect(moved.map((f: any) => f.fingerprint).sort()).toEqual(first.map((f: any) => f.fingerprint).sort());
  });
});
