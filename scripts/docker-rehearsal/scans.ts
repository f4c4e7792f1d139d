/**
 * The entry point run as a user would run the image, against a mounted repository that belongs to another
 * user (uid 4242), with the SQLite history store and every report format. The repository's leaked
 * credentials are fake, built at run time (testkit/fake-tokens.ts), and must not appear in any output.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeAwsCredentialsFile, fakeGithubToken } from '../../testkit/fake-tokens.js';
import type { BuiltStage } from './build.js';
import { type Check, runImage } from './checks.js';

const OTHER_USER = 4242;

export interface Fixture {
  repo: string;
  out: string;
  secrets: string[];
}

/** A small repository with a leaked AWS key (added, then deleted) and a GitHub token still in the tree. */
export function makeFixture(workdir: string, imageUid: number, imageGid: number): Fixture {
  const repo = join(workdir, 'repo');
  const out = join(workdir, 'out');
  mkdirSync(repo);
  mkdirSync(out);
  const aws = fakeAwsCredentialsFile();
  const github = fakeGithubToken('p');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=rehearsal', '-c', 'user.email=rehearsal@nhiscan.invalid', '-c', 'init.defaultBranch=main', ...args], {
      cwd: repo,
      env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-05T10:00:00Z', GIT_COMMITTER_DATE: '2026-01-05T10:00:00Z' },
      stdio: 'ignore',
    });
  git('init', '-q', '.');
  writeFileSync(join(repo, 'README.md'), '# a service\n');
  writeFileSync(join(repo, 'credentials'), aws.text);
  git('add', '.');
  git('commit', '-qm', 'add service');
  git('rm', '-q', 'credentials');
  writeFileSync(join(repo, 'deploy.env'), `GITHUB_TOKEN=${github}\n`);
  git('add', '.');
  git('commit', '-qm', 'move the credentials out');
  execFileSync('chown', ['-R', `${OTHER_USER}:${OTHER_USER}`, repo]);
  execFileSync('chmod', ['-R', 'go+rX,go-w', repo]);
  execFileSync('chown', [`${imageUid}:${imageGid}`, out]);
  // The access key id is an identifier (IAM and CloudTrail show it), reported on purpose; the secret parts must never appear.
  return { repo, out, secrets: [aws.secret, github] };
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === '.git' ? [] : filesUnder(join(dir, e.name))) : [join(dir, e.name)]));

function leakedIn(texts: { name: string; content: string }[], secrets: string[]): string[] {
  return texts.filter((t) => secrets.some((s) => t.content.includes(s))).map((t) => t.name);
}

interface ScanReport {
  sources: { spec: string; status: string; notCovered: unknown[] }[];
  findings: { category: string }[];
  history?: { recorded: boolean; scanId?: string; store?: string; error?: string };
}

function reportChecks(label: string, dir: string, expectedScanId: string): Check[] {
  const names = ['nhiscan-report.json', 'nhiscan-report.md', 'nhiscan-report.sarif', 'nhiscan-report.html'];
  const missing = names.filter((n) => !existsSync(join(dir, n)));
  if (missing.length) return [{ name: `${label}: every format written`, ok: false, detail: `missing ${missing.join(', ')}` }];
  const report = JSON.parse(readFileSync(join(dir, names[0]!), 'utf8')) as ScanReport;
  const sarif = JSON.parse(readFileSync(join(dir, names[2]!), 'utf8')) as { runs: { results: unknown[] }[] };
  const leaks = report.findings.filter((f) => f.category === 'leaked-secret').length;
  const source = report.sources[0];
  return [
    {
      name: `${label}: json, md, sarif and html written`,
      ok: readFileSync(join(dir, names[3]!), 'utf8').includes('<html') && readFileSync(join(dir, names[1]!), 'utf8').length > 0,
      detail: names.map((n) => `${n.split('.').pop()} ${statSync(join(dir, n)).size} B`).join(', '),
    },
    {
      name: `${label}: git source fully covered`,
      ok: source?.status === 'ok' && source.notCovered.length === 0,
      detail: `${source?.spec} ${source?.status}, notCovered ${JSON.stringify(source?.notCovered)}`,
    },
    {
      name: `${label}: both leaked credentials found`,
      ok: leaks >= 2,
      detail: `${leaks} leaked-secret findings of ${report.findings.length}; SARIF ${sarif.runs[0]?.results.length} results`,
    },
    {
      name: `${label}: recorded in the SQLite history`,
      ok: report.history?.recorded === true && report.history.scanId === expectedScanId,
      detail: report.history?.recorded ? `scan ${report.history.scanId} in ${report.history.store}` : String(report.history?.error),
    },
  ];
}

export interface ScanOutcome {
  checks: Check[];
  timings: Record<string, number>;
}

export async function scanChecks(image: BuiltStage, fixture: Fixture): Promise<ScanOutcome> {
  const entry = image.config.entrypoint;
  const formats = ['--format', 'json,md,sarif,html'];
  const checks: Check[] = [];
  const timings: Record<string, number> = {};
  const outputs: { name: string; content: string }[] = [];
  const record = (name: string, r: { code: number; stdout: string; stderr: string; ms: number }) => {
    timings[name] = r.ms;
    outputs.push({ name: `${name} stdout`, content: r.stdout }, { name: `${name} stderr`, content: r.stderr });
  };

  // 1. `docker run --rm -v REPO:/scan:ro -v OUT:/out nhiscan scan git:. --history /out/history.db --out /out ...`, twice.
  const imageUser = {
    binds: [
      { host: fixture.repo, target: '/scan', readOnly: true },
      { host: fixture.out, target: '/out' },
    ],
  };
  const scanA = ['scan', 'git:.', '--history', '/out/history.db', '--out', '/out', ...formats, '--fail-on', 'none'];
  for (const round of ['1', '2']) {
    const r = await runImage(image, [...entry, ...scanA], imageUser);
    record(`image user, read-only repo, scan ${round}`, r);
    checks.push({
      name: `image user (uid ${r.account.uid}), repo of uid ${OTHER_USER} mounted read-only, scan ${round}: exit 0`,
      ok: r.code === 0,
      detail: tail(r),
    });
    if (r.code === 0) checks.push(...reportChecks(`scan ${round}`, fixture.out, round));
  }
  const history = await runImage(image, [...entry, 'history', '--history', '/out/history.db', '--json'], imageUser);
  record('history command', history);
  const scans = history.code === 0 ? (JSON.parse(history.stdout) as { scans: unknown[] }).scans.length : -1;
  checks.push({ name: '`nhiscan history` reads the SQLite store back', ok: scans === 2, detail: `exit ${history.code}, ${scans} scans recorded` });

  // 2. The documented form for writing into the mounted folder: `docker run --user UID:GID -v "$PWD:/scan" nhiscan scan git:. ...`.
  const asOwner = await runImage(
    image,
    [...entry, 'scan', 'git:.', '--history', '/scan/.nhiscan-history.db', '--out', '/scan/nhiscan-report', ...formats, '--fail-on', 'none'],
    {
      user: `${OTHER_USER}:${OTHER_USER}`,
      binds: [{ host: fixture.repo, target: '/scan' }],
    },
  );
  record('--user of the repository owner', asOwner);
  checks.push({
    name: `--user ${OTHER_USER}:${OTHER_USER} (no passwd entry), reports into the mounted repo: exit 0`,
    ok: asOwner.code === 0,
    detail: tail(asOwner),
  });
  if (asOwner.code === 0) checks.push(...reportChecks('--user', join(fixture.repo, 'nhiscan-report'), '1'));

  // Why the documented form has --user: the image's user cannot write into a folder of the host's user.
  const denied = await runImage(image, [...entry, 'scan', 'git:.', '--out', '/scan/nhiscan-report-denied', '--fail-on', 'none', '--quiet'], {
    binds: [{ host: fixture.repo, target: '/scan' }],
  });
  record('image user writing into the repo', denied);
  checks.push({
    name: `without --user, the image user cannot write reports into a folder of uid ${OTHER_USER} (hence --user in the docs)`,
    ok: denied.code !== 0 && /EACCES|permission denied/i.test(denied.stderr),
    detail: tail(denied),
  });

  // 3. The gate: default --fail-on high exits 1 on the leaked credentials; `--out -` pipes the JSON report.
  const gate = await runImage(image, [...entry, 'scan', 'git:.', '--out', '-', '--quiet'], imageUser);
  record('gate, --out -', gate);
  const piped = gate.stdout.trim().startsWith('{') ? (JSON.parse(gate.stdout) as ScanReport).findings.length : -1;
  checks.push({
    name: 'default gate exits 1 on the leaks, `--out -` writes the JSON report to stdout',
    ok: gate.code === 1 && piped >= 2,
    detail: `exit ${gate.code}, ${piped} findings piped; ${gate.stderr.trim()}`,
  });

  const files = [...filesUnder(fixture.out), ...filesUnder(join(fixture.repo, 'nhiscan-report')), join(fixture.repo, '.nhiscan-history.db')].filter(existsSync);
  const leaked = leakedIn([...outputs, ...files.map((f) => ({ name: f, content: readFileSync(f, 'latin1') }))], fixture.secrets);
  checks.push({
    name: 'no leaked secret in any report, history store or console output',
    ok: leaked.length === 0,
    detail: leaked.join(', ') || `${files.length} files and ${outputs.length} streams searched`,
  });
  return { checks, timings };
}

const tail = (r: { code: number; stdout: string; stderr: string }) =>
  `exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ').slice(0, 300)}`;
