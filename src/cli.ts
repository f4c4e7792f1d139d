#!/usr/bin/env node
/**
 * The `nhiscan` command line.
 *
 *   nhiscan scan [SOURCE...] [--out DIR] [--format json,md,sarif,html] [--fail-on LEVEL] [--baseline FILE] [--config FILE] [--quiet]
 *   nhiscan rules [--markdown | --json]
 *
 * Exit codes: 0 no gating finding; 1 a gating finding; 2 usage or config error;
 * 3 a source failed or was only partly covered (and nothing failed the gate).
 */
// The graph, history, trend and diff commands and the history store load when used (start-up time for `scan staged:`).
import type { HistorySettings } from './history/store.js';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { relative, resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { checkSettings, configPathFor, loadConfig, type Config, type LoadedConfig } from './config.js';
import { lazySchema, loadZod } from './zod-lazy.js';
import { scanSettingsSchema } from './secret-scan/settings.js';
import { registerBuiltinPlugins } from './builtins.js';
import { Registry, loadPlugin } from './registry.js';
import { createLogger, type Logger } from './log.js';
import { createProgress } from './progress.js';
import { runScan, type ScanResult } from './engine.js';
import { resolveRules } from './evaluate.js';
import { readBaseline } from './baseline.js';
import { defaultSource, parseSourceSpec } from './sources.js';
import { SEVERITIES, type Finding, type Severity } from './model/index.js';
import { buildReport, type ScanReport } from './report-model.js';
import { prepareReportDir, writeAtomicStream } from './atomic-write.js';
import { VERSION } from './version.js';
import { UserError } from './user-error.js';
import { parseStrictIsoDate } from './time.js';
import { redactText } from './redact.js';
import { holdEnvironmentSecrets } from './held-secrets.js';
import type { CliOption } from './plugin.js';
import { parseShard, shardFromJobIndex, shardLabel, ShardError, type Shard } from './shard.js';

export const EXIT = { OK: 0, GATE: 1, USAGE: 2, INCOMPLETE: 3 } as const;

class UsageError extends UserError {}

/** What a merge takes: the report-writing and gate options a scan has too. */
const MERGE_OPTIONS = {
  out: { type: 'string' },
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  baseline: { type: 'string' },
  config: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  now: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

const SCAN_OPTIONS = {
  ...MERGE_OPTIONS,
  concurrency: { type: 'string' },
  shard: { type: 'string' },
  'shard-count': { type: 'string' },
  history: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

const USAGE = `nhiscan ${VERSION}: inventory and risk scanner for non-human identities

Usage:
  nhiscan scan [SOURCE...] [options]   scan sources and write reports
  nhiscan rules [--markdown | --json]  list every rule with its documentation
  nhiscan merge REPORT.json... [--out DIR] [--format LIST] [--fail-on LEVEL] [--config FILE]
                                       join the JSON reports of a sharded scan, correlating across shards
  nhiscan graph REPORT.json [--format json|dot|mermaid] [--node ID] [--depth N] [--chains]
                                       the lineage graph of a saved report (leak → credential → identity → privilege → owner)
  nhiscan history [--history TARGET] [--json]          the scans recorded in a history store
  nhiscan trend [--since 90d] [--by severity|category|provider|owner|rule] [--targets critical=7,...] [--json]
                                       new, resolved, reopened and open findings per scan, age, time to fix, breaches
  nhiscan diff SCAN_A SCAN_B [--json]  findings added and gone between two recorded scans
  nhiscan --version

Sources:
  git:PATH_OR_URL   full history of a repository (working copy, bare, mirror or URL)
  dir:PATH          a directory tree
  github:ORG        a GitHub organisation
  aws | aws:PROFILE an AWS account (default credential chain or a named profile)
  azure | azure:SUBSCRIPTION_ID  Azure Key Vaults in every visible subscription, or one
  import:FILE       an offline export (format detected from content), e.g. a saved nhiscan JSON report
  With no source: git:. inside a repository, dir:. otherwise (or the config's sources).

Options of scan:
  --out DIR            report directory (default nhiscan-report/); --out - writes the JSON report to stdout
  --format LIST        json,md,sarif,html (default json,md,sarif)
  --fail-on LEVEL      critical|high|medium|low|none (default high)
  --baseline FILE      previous JSON report: only new findings fail the gate
  --config FILE        config file (default nhiscan.config.json|.yaml|.yml in the current directory or
                       the nearest parent up to the repository root)
  --quiet              no progress output; a run that exits 1 or 3 still says why in one line
  --verbose            debug logging
  --concurrency N      sources collected at once (default 4)
  --now ISO_DATE       reference time for age rules (reproducible reports)
  --shard I/N          scan only shard I of N (repositories, accounts, subscriptions, projects or
                       whole sources, split by a hash of their names); join with nhiscan merge
  --shard-count N      with JOB_COMPLETION_INDEX (a Kubernetes Indexed Job): shard INDEX of N
  --history TARGET     record the scan in a history store: an SQLite file or a postgres:// URL (docs/history.md)
Exit codes: 0 ok, 1 gating finding, 2 usage/config error, 3 source failed or partly covered.`;

/** The options each connector declares, so `scan --help` lists what plugins add too. */
function connectorOptionsHelp(registry: Registry): string {
  // Several connectors may share an option (git and dir both take --max-file-size): list it once.
  const byName = new Map<string, { option: CliOption; schemes: string[] }>();
  for (const connector of [...registry.connectors.values()].sort((a, b) => a.scheme.localeCompare(b.scheme))) {
    for (const option of connector.options ?? []) {
      const entry = byName.get(option.name) ?? { option, schemes: [] };
      entry.schemes.push(connector.scheme);
      byName.set(option.name, entry);
    }
  }
  const lines = ['Options of the sources:'];
  for (const { option, schemes } of byName.values()) {
    const flag = `--${option.name}${option.type === 'string' ? ' VALUE' : ''}`;
    const repeatable = option.multiple && !/repeatable/.test(option.description) ? ' (repeatable)' : '';
    lines.push(`  ${flag.padEnd(34)} [${schemes.join(', ')}] ${option.description}${repeatable}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The built-in and configured plugins. With `deferAnalyses` (a scan without plugins), each provider's
 * enrichers and rules load once the inventory shows that provider's items (engine.ts, `loadDeferred`).
 */
async function buildRegistry(plugins: string[], baseDir: string, { deferAnalyses = false } = {}): Promise<Registry> {
  const registry = new Registry();
  await registerBuiltinPlugins(registry, { deferAnalyses: deferAnalyses && !plugins.length });
  for (const specifier of plugins) registry.register(await loadPlugin(specifier, baseDir), `"${specifier}"`);
  return registry;
}

function parseFormats(value: string | undefined, fallback: string[] | undefined, registry: Registry): string[] {
  const formats =
    value !== undefined
      ? value
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean)
      : (fallback ?? registry.defaultFormats());
  const known = [...registry.reporters.keys()].join(', ');
  if (!formats.length) throw new UsageError(`--format needs at least one of ${known} (got "${value}")`);
  for (const f of formats) if (!registry.reporters.has(f)) throw new UsageError(`unknown format "${f}" (use ${known})`);
  return formats;
}

function parseFailOn(value: string | undefined, fallback: Severity | 'none' | undefined): Severity | 'none' {
  const v = value ?? fallback ?? 'high';
  if (v !== 'none' && !(SEVERITIES as readonly string[]).includes(v))
    throw new UsageError(`--fail-on must be one of critical, high, medium, low, none (got "${v}")`);
  return v as Severity | 'none';
}

/**
 * Each connector checks the options and settings it reads (when one of its sources is scanned, or one
 * of its options was given) before anything is collected: a mistake is a usage error, not a failed source.
 */
function checkConnectorOptions(registry: Registry, sources: string[], options: Record<string, unknown>, config: Config): void {
  const schemes = new Set(sources.map((raw) => parseSourceSpec(raw).scheme));
  for (const connector of registry.connectors.values()) {
    const given = connector.options?.some((o) => options[o.name] !== undefined);
    if (!connector.checkOptions || !(schemes.has(connector.scheme) || given)) continue;
    try {
      connector.checkOptions({ options, config });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
}

/** The options the connectors declare, as parseArgs takes them (the built-in options win a clash). */
function connectorParseOptions(registry: Registry): NonNullable<ParseArgsConfig['options']> {
  const pluginOptions: NonNullable<ParseArgsConfig['options']> = {};
  for (const connector of registry.connectors.values()) {
    for (const option of connector.options ?? []) {
      if (option.name in SCAN_OPTIONS) continue;
      pluginOptions[option.name] = { type: option.type, ...(option.multiple ? { multiple: true } : {}) };
    }
  }
  return pluginOptions;
}

/** Everything `scan` was asked to do, parsed and checked before anything is collected. */
interface ScanInvocation {
  loaded: ReturnType<typeof loadConfig>;
  registry: Registry;
  values: Record<string, unknown>;
  sources: string[];
  fromConfig: boolean;
  formats: string[];
  failOn: Severity | 'none';
  /** The report directory; undefined with `--out -` (the JSON report goes to stdout). */
  outDir?: string;
  now: Date;
  concurrency: number;
  connectorOptions: Record<string, unknown>;
  baseline?: Finding[];
  shard?: Shard;
  history?: HistorySettings;
}

/** `settings.import`: the import: source takes no settings of its own. */
const IMPORT_SETTINGS = lazySchema((z) => z.looseObject({}));

/** The sources whose settings and options a scan with no config file checks without zod (only secret scanning). */
const PLAIN_SOURCES = new Set(['staged', 'dir', 'git']);

/**
 * True for a scan with nothing to validate: no config file, only secret-scanning sources, and no
 * baseline, history or shard. Its rules take their default options and its sources their default
 * settings, so zod never loads (a pre-commit hook starts many times a day); every other run loads it
 * first. A scan that finds another provider's items loads zod with that provider's analysis.
 */
function validatesNothing(values: Record<string, unknown>, positionals: string[], loaded: LoadedConfig): boolean {
  if (loaded.path !== undefined) return false;
  if (values.baseline !== undefined || values.history !== undefined || values.shard !== undefined || values['shard-count'] !== undefined) return false;
  try {
    if (!positionals.every((spec) => PLAIN_SOURCES.has(parseSourceSpec(spec).scheme))) return false;
  } catch {
    return false; // a malformed source: the scan reports it, with zod loaded as usual
  }
  return true;
}

/** Parses `scan`'s arguments; undefined when --help was answered. */
async function parseScan(argv: string[]): Promise<ScanInvocation | undefined> {
  // First pass: only to find --config, since the config's plugins can add options of their own.
  const pre = parseArgs({ args: argv, options: SCAN_OPTIONS, strict: false, allowPositionals: true });
  // A config file is validated as it is read.
  if (configPathFor(pre.values.config as string | undefined) !== undefined) await loadZod();
  const loaded = loadConfig(pre.values.config as string | undefined);
  // A config that sets rules is checked against every rule, so all of them load first.
  const registry = await buildRegistry(loaded.config.plugins, loaded.baseDir, { deferAnalyses: !Object.keys(loaded.config.rules).length });
  if (pre.values.help) {
    process.stdout.write(`${USAGE}\n\n${connectorOptionsHelp(registry)}`);
    return undefined;
  }
  const pluginOptions = connectorParseOptions(registry);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...SCAN_OPTIONS, ...pluginOptions }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values as Record<string, unknown>;
  if (!validatesNothing(values, parsed.positionals, loaded)) await loadZod();
  const toStdout = values.out === '-';
  const formats = toStdout
    ? stdoutFormats(values.format as string | undefined)
    : parseFormats(values.format as string | undefined, loaded.config.format, registry);
  const failOn = parseFailOn(values['fail-on'] as string | undefined, loaded.config.failOn);
  const outDir = toStdout ? undefined : resolve((values.out as string | undefined) ?? loaded.config.out ?? 'nhiscan-report');
  const now = values.now !== undefined ? parseStrictIsoDate(values.now as string) : new Date();
  if (!now) throw new UsageError(`--now must be an existing ISO 8601 date such as 2026-02-28 or 2026-02-28T12:00:00Z (got "${values.now}")`);
  const shard = parseShardOptions(values);
  const concurrency = values.concurrency ? Number(values.concurrency) : 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('--concurrency must be a positive integer');
  // Validate rule and source settings before collecting anything: a config mistake must not cost a long scan.
  resolveRules(registry, loaded.config);
  checkSettings(loaded.config, registry.connectors, loaded.path ?? 'config', { secrets: scanSettingsSchema, import: IMPORT_SETTINGS });
  const baseline = values.baseline ? readBaseline(values.baseline as string) : undefined;
  const fromConfig = !parsed.positionals.length && loaded.config.sources.length > 0;
  const sources = parsed.positionals.length ? parsed.positionals : fromConfig ? loaded.config.sources : [defaultSource(process.cwd())];
  const connectorOptions = Object.fromEntries(
    Object.keys(pluginOptions)
      .filter((k) => values[k] !== undefined)
      .map((k) => [k, values[k]]),
  );
  checkConnectorOptions(registry, sources, connectorOptions, loaded.config);
  // The history modules load only when history is on (a flag, or a config that names a store).
  const history =
    values.history !== undefined || (loaded.config.history !== undefined && loaded.config.history !== false)
      ? (await import('./history/settings.js')).scanHistorySettings(values.history as string | undefined, loaded.config, loaded.baseDir)
      : undefined;
  if (history && shard) throw new UsageError('--history cannot be combined with --shard: a shard sees part of the estate; record the history of a whole scan');
  // History keeps a hash of every rule's settings, and a baseline or a shard is compared with runs of every rule: load them all.
  if (history || baseline || shard) await registry.loadDeferred();
  try {
    if (outDir) prepareReportDir(outDir);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    loaded,
    registry,
    values,
    fromConfig,
    sources,
    formats,
    failOn,
    ...(outDir ? { outDir } : {}),
    now,
    concurrency,
    connectorOptions,
    ...(baseline ? { baseline } : {}),
    ...(shard ? { shard } : {}),
    ...(history ? { history } : {}),
  };
}

/** `--shard I/N`, or `--shard-count N` with the Indexed Job's JOB_COMPLETION_INDEX. */
function parseShardOptions(values: Record<string, unknown>): Shard | undefined {
  try {
    if (values.shard !== undefined && values['shard-count'] !== undefined) throw new ShardError('give --shard I/N or --shard-count N, not both');
    if (values.shard !== undefined) return parseShard(values.shard as string);
    if (values['shard-count'] !== undefined) return shardFromJobIndex(process.env.JOB_COMPLETION_INDEX, values['shard-count'] as string);
    return undefined;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `--out -` streams one document to stdout: the JSON report (other formats need a directory). */
function stdoutFormats(value: string | undefined): string[] {
  if (value !== undefined && value.trim() !== 'json')
    throw new UsageError(`--out - writes the JSON report to stdout; --format must be json there (got "${value}")`);
  return ['json'];
}

/** Writes every format it can: one format failing does not cost the others. Returns how many failed. */
async function writeReports(report: ScanReport, invocation: Pick<ScanInvocation, 'outDir' | 'formats' | 'registry'>, log: Logger): Promise<number> {
  const { outDir } = invocation;
  if (!outDir) {
    // Pipes and files are written synchronously by Node on Linux, so chunks go straight out in order.
    await invocation.registry.reporters.get('json')!.write(report, { write: (chunk) => void process.stdout.write(chunk) });
    return 0;
  }
  let unwritten = 0;
  for (const format of invocation.formats) {
    const reporter = invocation.registry.reporters.get(format)!;
    try {
      const path = await writeAtomicStream(outDir, reporter.fileName, (sink) => reporter.write(report, sink));
      log.info(`wrote ${path}`);
    } catch (error) {
      unwritten++;
      log.error(`cannot write the ${format} report to ${outDir}: ${(error as Error).message}`);
    }
  }
  return unwritten;
}

/** Why a run did not exit 0, in one line: what `--quiet` still prints. */
function exitReason(code: number, report: ScanReport, result: ScanResult, unwritten: number): string {
  if (code === EXIT.GATE) {
    const { gatingFindings, failOn } = result.gate;
    return `gate failed: ${gatingFindings} finding(s) at or above ${failOn}${report.summary.baseline ? ' new since the baseline' : ''}`;
  }
  const parts = [];
  const incomplete = result.sources.filter((src) => src.status !== 'ok');
  if (incomplete.length) parts.push(`not fully covered: ${incomplete.map((src) => `${src.spec} (${src.status})`).join(', ')}`);
  if (result.analysisErrors.length) parts.push(`analysis incomplete: ${result.analysisErrors.map((e) => `${e.stage} ${e.id} failed`).join(', ')}`);
  const unrecorded = report.history && !report.history.recorded ? 1 : 0;
  if (unwritten - unrecorded) parts.push(`${unwritten - unrecorded} report format(s) not written`);
  if (unrecorded) parts.push(`not recorded in history: ${report.history!.error}`);
  return parts.join('; ');
}

/**
 * Records the scan in the history store and puts the history section on the report, before any
 * report is written. A store that cannot be written costs no report: the section says so, and the
 * scan exits 3. Returns 1 when not recorded.
 */
async function recordInHistory(report: ScanReport, invocation: ScanInvocation, log: Logger): Promise<number> {
  const { rulesHashOf } = await import('./history/scan-input.js');
  const rulesHash = rulesHashOf(
    resolveRules(invocation.registry, invocation.loaded.config).map((r) => ({
      id: r.rule.meta.id,
      enabled: r.enabled,
      severity: r.severity,
      options: r.options,
    })),
  );
  const { recordHistory } = await import('./history/store.js');
  report.history = await recordHistory(report, invocation.history!, rulesHash);
  if (!report.history.recorded) log.error(`the scan was not recorded in history: ${report.history.error}`);
  else log.info(`recorded scan ${report.history.scanId} in ${report.history.store}`);
  return report.history.recorded ? 0 : 1;
}

/** The closing summary on stderr and the exit code. */
function conclude(report: ScanReport, result: ScanResult, unwritten: number, log: Logger, quiet: boolean): number {
  const code = exitCode(report, result, unwritten, log);
  if (quiet && code !== EXIT.OK) process.stderr.write(`nhiscan: exit ${code}: ${redactText(exitReason(code, report, result, unwritten))}\n`);
  return code;
}

function exitCode(report: ScanReport, result: ScanResult, unwritten: number, log: Logger): number {
  const s = report.summary;
  log.info(
    `${s.total} active finding(s): ${SEVERITIES.map((sev) => `${s.bySeverity[sev]} ${sev}`).join(', ')}` +
      (s.baseline ? ` (${s.baseline.new} new, ${s.baseline.persisting} persisting, ${s.baseline.resolved} resolved)` : '') +
      `; ${report.inventory.identities.length} identities, ${report.inventory.credentials.length} credentials.`,
  );
  const incomplete = result.sources.filter((src) => src.status !== 'ok');
  for (const src of incomplete) {
    const why =
      src.errors.map((e) => (e.part ? `${e.part}: ${e.message}` : e.message)).join('; ') || src.notCovered.map((n) => `${n.part}: ${n.reason}`).join('; ');
    // A failed source is an error even with --quiet: the reports miss all of it.
    (src.status === 'failed' ? log.error : log.warn)(`${src.spec} was ${src.status}: ${why}`);
  }
  if (result.gate.failed) {
    log.info(`gate failed: ${result.gate.gatingFindings} finding(s) at or above ${result.gate.failOn}${s.baseline ? ' that are new since the baseline' : ''}.`);
    return EXIT.GATE;
  }
  for (const e of result.analysisErrors) log.warn(`the ${e.stage} ${e.id} failed, so the analysis is incomplete: ${e.message}`);
  return incomplete.length || result.analysisErrors.length || unwritten ? EXIT.INCOMPLETE : EXIT.OK;
}

async function scanCommand(argv: string[]): Promise<number> {
  const invocation = await parseScan(argv);
  if (!invocation) return EXIT.OK;
  const { loaded, registry, values } = invocation;
  const log = createLogger({ quiet: values.quiet as boolean, verbose: values.verbose as boolean });
  const progress = createProgress({ quiet: values.quiet as boolean });
  const result = await runScan({
    registry,
    config: loaded.config,
    sources: invocation.sources,
    options: invocation.connectorOptions,
    now: invocation.now,
    log,
    concurrency: invocation.concurrency,
    baseDir: invocation.fromConfig ? loaded.baseDir : process.cwd(),
    progress: (source, message) => progress.update(source, message),
    onSourceDone: (report) => progress.done(report.spec, report.status),
    failOn: invocation.failOn,
    ...(invocation.baseline ? { baseline: invocation.baseline } : {}),
    ...(invocation.shard ? { shard: invocation.shard, keepRaw: true } : {}),
  });
  progress.stop();
  const report = reportOf(result, registry, {
    baselineFile: values.baseline as string | undefined,
    configPath: loaded.path,
    now: invocation.now,
    ...(invocation.shard ? { shard: shardLabel(invocation.shard) } : {}),
  });
  const unrecorded = invocation.history ? await recordInHistory(report, invocation, log) : 0;
  return conclude(report, result, (await writeReports(report, invocation, log)) + unrecorded, log, Boolean(values.quiet));
}

/** The report of a scan or a merge: its result, the rules that ran, and the baseline and config it used. */
function reportOf(
  result: ScanResult,
  registry: Registry,
  facts: { baselineFile?: string | undefined; configPath?: string | undefined; now?: Date | undefined; shard?: string },
): ScanReport {
  return buildReport({
    result,
    findings: result.findings,
    version: VERSION,
    rules: registry.sortedRules().map((r) => r.meta),
    gate: result.gate,
    ...(facts.baselineFile ? { baselineFile: facts.baselineFile } : {}),
    ...(facts.configPath ? { configFile: relative(process.cwd(), facts.configPath) || facts.configPath } : {}),
    ...(facts.now ? { now: facts.now } : {}),
    ...(facts.shard ? { shard: facts.shard } : {}),
  });
}

/** `nhiscan merge REPORT... --out DIR`: see src/merge.ts. */
async function mergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: MERGE_OPTIONS, strict: true, allowPositionals: true });
  if (!positionals.length) throw new UsageError('merge needs the JSON reports to join: nhiscan merge shard-1.json shard-2.json ... --out DIR');
  const { mergedReferenceTime, mergeReports, readMergeInput } = await import('./merge.js');
  const loaded = loadConfig(values.config);
  const registry = await buildRegistry(loaded.config.plugins, loaded.baseDir);
  const toStdout = values.out === '-';
  const formats = toStdout ? stdoutFormats(values.format) : parseFormats(values.format, loaded.config.format, registry);
  const failOn = parseFailOn(values['fail-on'], loaded.config.failOn);
  const now = values.now !== undefined ? parseStrictIsoDate(values.now) : undefined;
  if (values.now !== undefined && !now) throw new UsageError(`--now must be an existing ISO 8601 date (got "${values.now}")`);
  resolveRules(registry, loaded.config);
  const outDir = toStdout ? undefined : resolve(values.out ?? loaded.config.out ?? 'nhiscan-report');
  const log = createLogger({ quiet: values.quiet, verbose: values.verbose });
  let inputs;
  try {
    inputs = positionals.map(readMergeInput);
    if (outDir) prepareReportDir(outDir);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  for (const input of inputs.filter((i) => !i.raw)) log.warn(`${input.file} has no raw inventory (not written with --shard): its enriched inventory is merged`);
  const baseline = values.baseline ? readBaseline(values.baseline) : undefined;
  const reference = now ?? mergedReferenceTime(inputs);
  const result = await mergeReports(inputs, { registry, config: loaded.config, log, failOn, now: reference, ...(baseline ? { baseline } : {}) });
  const report = reportOf(result, registry, { baselineFile: values.baseline, configPath: loaded.path, now: reference });
  return conclude(report, result, await writeReports(report, { outDir, formats, registry }, log), log, Boolean(values.quiet));
}

async function rulesCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { markdown: { type: 'boolean' }, json: { type: 'boolean' }, config: { type: 'string' } }, strict: true });
  const loaded = loadConfig(values.config);
  const registry = await buildRegistry(loaded.config.plugins, loaded.baseDir);
  const rules = registry.sortedRules();
  if (values.json)
    process.stdout.write(
      `${JSON.stringify(
        rules.map((r) => ({ ...r.meta, optionsSchema: undefined })),
        null,
        2,
      )}\n`,
    );
  else if (values.markdown) process.stdout.write((await import('./rules-doc.js')).renderRulesMarkdown(rules));
  else process.stdout.write((await import('./rules-doc.js')).renderRulesText(rules));
  return EXIT.OK;
}

export async function main(argv: string[]): Promise<number> {
  // Before anything can print: the credentials in the environment are scrubbed from every output.
  holdEnvironmentSecrets(process.env);
  const [command, ...rest] = argv;
  try {
    // Every command but scan validates something (a config, reports, rule options); scan decides for itself.
    if (command !== 'scan') await loadZod();
    switch (command) {
      case 'scan':
        return await scanCommand(rest);
      case 'rules':
        return await rulesCommand(rest);
      case 'merge':
        return await mergeCommand(rest);
      case 'graph':
        return await (await import('./lineage/command.js')).graphCommand(rest, (text) => process.stdout.write(text)).then(() => EXIT.OK);
      case 'history':
        return await (await import('./history/command.js')).historyCommand(rest, (text) => process.stdout.write(text)).then(() => EXIT.OK);
      case 'trend':
        return await (await import('./history/command.js')).trendCommand(rest, (text) => process.stdout.write(text)).then(() => EXIT.OK);
      case 'diff':
        return await (await import('./history/command.js')).diffCommand(rest, (text) => process.stdout.write(text)).then(() => EXIT.OK);
      case '--version':
      case '-V':
      case 'version':
        process.stdout.write(`${VERSION}\n`);
        return EXIT.OK;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? EXIT.USAGE : EXIT.OK;
      default:
        throw new UsageError(`unknown command "${command}" (use scan, merge, rules, graph, history, trend or diff; see nhiscan --help)`);
    }
  } catch (error) {
    if (error instanceof UserError || (error as NodeJS.ErrnoException).code?.startsWith?.('ERR_PARSE_ARGS')) {
      process.stderr.write(`nhiscan: ${redactText((error as Error).message)}\n`);
      return EXIT.USAGE;
    }
    process.stderr.write(`nhiscan: internal error (please report it): ${redactText((error as Error).stack ?? String(error))}\n`);
    return EXIT.USAGE;
  }
}

// Run when executed (directly or through the npm bin symlink), not when imported by tests.
const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
