/**
 * The plugin API. Built-in connectors, importers, enrichers and rules register through
 * exactly this API (see src/builtins.ts), so a third-party package or local module named in
 * the config's `plugins` can add sources and rules without touching nhiscan's code.
 *
 * A plugin module's default export (or named export `plugin`) is an `NhiscanPlugin`.
 */
import type { z } from 'zod';
import type { Category, Credential, FindingLocation, Identity, Inventory, Resource, Person, ResourceRef, Severity } from './model/index.js';
import type { Logger } from './log.js';
import type { DetectorEntry } from './secrets/detector.js';

/** A source as the user wrote it, split at the first colon: `aws:prod` → scheme `aws`, target `prod`. */
export interface SourceSpec {
  /** The full text, e.g. `git:./repo`, with any URL credentials masked: the source's name in reports, logs and locations. */
  spec: string;
  scheme: string;
  /** Everything after the first colon; empty when there is none (`aws`). */
  target: string;
}

export type SourceStatus = 'ok' | 'partial' | 'failed';

export interface SourceError {
  /** Part of the source the error concerns (`credential-report`, `repo:acme/api`, `file:a.bin`). */
  part?: string;
  message: string;
}

/** Options a connector or importer adds to `nhiscan scan` (e.g. `--since`, `--aws-org-role`). */
export interface CliOption {
  /** Long name without dashes, e.g. `aws-org-role`. */
  name: string;
  type: 'string' | 'boolean';
  description: string;
  multiple?: boolean;
}

export interface ConnectorContext {
  source: SourceSpec;
  /** Values of the CLI options the plugins declared, keyed by option name; plus config `settings`. */
  options: Record<string, unknown>;
  /** The validated config (owner tag keys etc). */
  config: import('./config.js').Config;
  log: Logger;
  /** Reports progress for the live progress display (stderr). */
  progress(message: string): void;
  /** The scan's reference time; connectors use it instead of `new Date()` so tests are deterministic. */
  now: Date;
  signal: AbortSignal;
  /**
   * Directory relative paths resolve against: in the source's target and in settings. The config
   * file's directory for sources listed in the config, the current directory for sources given on
   * the command line, so both read naturally.
   */
  baseDir: string;
  /**
   * The connector registered for a scheme, for a source that delegates part of its work to another
   * (`github:ORG --scan-history` runs `git:` on each clone) without importing it.
   */
  connector?(scheme: string): Connector | undefined;
  /**
   * Set when the scan is one shard of several (`--shard I/N`) and this connector said it splits the
   * source's units itself (`Connector.shardsUnits`): collect only the units `shardOwns(shard, key)`.
   */
  shard?: import('./shard.js').Shard;
}

/** What a connector (or importer) returns: the inventory slice it saw and how well it saw it. */
export interface CollectResult {
  identities: Identity[];
  credentials: Credential[];
  /** Resources that decide effective rights (SCPs, resource policies); optional. */
  resources?: Resource[];
  /** People listed by the source (a `people:` directory, a provider's user list). */
  people?: Person[];
  /** `partial` when some parts could not be read; the engine sets `failed` when collect throws. */
  status?: SourceStatus;
  errors?: SourceError[];
  /** Counts worth showing (blobs scanned, users listed, requests made...). */
  stats?: Record<string, number>;
  /** Parts of the estate that were not looked at, with why (e.g. 403 on an endpoint). */
  notCovered?: { part: string; reason: string }[];
  /**
   * Separately reported parts of one source, e.g. each account of an AWS Organization. The engine
   * reports each as its own entry in the report's `sources`, right after the parent, with spec
   * `PARENT#SPEC` (`aws#account:123456789012`) and `parent` set; the parent becomes `partial` when
   * any sub-source is not `ok`. Their items stay in the parent's `identities`/`credentials`, and the
   * parent's own `errors`/`stats` should hold only what concerns the source as a whole.
   */
  subSources?: SubSourceResult[];
  /**
   * Where the paths of this source's locations sit in the local git repository holding them, as
   * `git rev-parse --show-prefix` says it (`''` at its root, `services/api/` for `dir:services/api`).
   * Unset when the files are not in a local checkout (a URL clone, GitHub, a cloud): SARIF then gives
   * their findings a logical location instead of a file of this repository.
   */
  repositoryPrefix?: string;
}

/** One separately reported part of a source (see `CollectResult.subSources`). */
export interface SubSourceResult {
  /** Name within the parent, e.g. `account:123456789012`. */
  spec: string;
  /** Defaults like a source's: `partial` when there are errors or notCovered parts, else `ok`. */
  status?: SourceStatus;
  errors?: SourceError[];
  stats?: Record<string, number>;
  notCovered?: { part: string; reason: string }[];
}

export interface Connector {
  /** The source scheme it serves: `git`, `aws`, `gcp`... */
  scheme: string;
  description: string;
  /** Extra CLI options this connector understands. */
  options?: CliOption[];
  /**
   * Validates the options and config settings this connector reads, before anything is collected:
   * throws an Error naming the option or setting, which the CLI reports as a usage error (exit 2), so
   * a typo never costs a long scan or passes for a source failure.
   */
  checkOptions?(ctx: Pick<ConnectorContext, 'options' | 'config'>): void;
  /**
   * Schema of `settings.<scheme>` in the config. The CLI checks it before scanning, so a misspelt or
   * wrong-typed key is a config error naming it (exit 2); make it `.strict()` to reject unknown keys.
   */
  settingsSchema?: z.ZodType;
  /**
   * Whether this source has units of its own that shards split (repositories of an organisation,
   * accounts of an AWS Organization, subscriptions, projects). When it says yes, every shard runs the
   * source with `ctx.shard` set and the connector keeps its share; otherwise the whole source goes to
   * one shard, chosen by its spec. `options` are the source's settings and CLI options.
   */
  shardsUnits?(source: SourceSpec, options: Record<string, unknown>): boolean;
  collect(ctx: ConnectorContext): Promise<CollectResult>;
}

/** Reads an offline export for `import:FILE`; the first importer whose `detect` says yes wins. */
export interface Importer {
  id: string;
  description: string;
  /** Cheap content sniffing; `parsed` is the JSON value when the file parsed as JSON, else undefined. */
  detect(input: { path: string; text: string; parsed: unknown }): boolean;
  read(input: { path: string; text: string; parsed: unknown }, ctx: ConnectorContext): Promise<CollectResult> | CollectResult;
}

export interface EnricherContext {
  config: import('./config.js').Config;
  now: Date;
  log: Logger;
}

/** Derives facts on the merged inventory (owners, effective permissions, correlation). Runs in `order`. */
export interface Enricher {
  id: string;
  /** Lower runs first. Owner resolution 10, provider analysis 50, cross-source correlation 90. */
  order?: number;
  enrich(inventory: Inventory, ctx: EnricherContext): void | Promise<void>;
}

export interface RuleMeta {
  /** Kebab-case, prefixed by provider for provider rules: `aws-root-access-key`. */
  id: string;
  title: string;
  category: Category;
  defaultSeverity: Severity;
  /** OWASP Non-Human Identities Top 10 (2025) ids, e.g. `NHI7`. */
  owasp: string[];
  /** CIS benchmark control ids where one exists, e.g. `CIS AWS 1.14`. */
  cis?: string[];
  /** zod schema of the rule's options; defaults live in the schema. */
  optionsSchema?: z.ZodType;
  /**
   * The options `optionsSchema` gives when none are set (its parse of `{}`), for rules that declare
   * them: a run that sets no options then takes these without validating anything. Built-in rules
   * declare them so a pre-commit hook's scan never loads zod (test/core/lazy-schemas.test.ts holds
   * them equal to their schema's defaults).
   */
  defaultOptions?: Record<string, unknown>;
  /** Why it matters, in a short paragraph. */
  description: string;
  /** What to do about it. */
  remediation: string;
  /** Providers whose inventory the rule reads (for docs); omit for provider-neutral rules. */
  providers?: string[];
  /**
   * A provider rule that judges the same thing as a provider-neutral rule for some credential or
   * identity kinds, with the provider's own thresholds (e.g. `github-deploy-key-unused` specialises
   * `credential-unused` for kind `deploy-key`). While the specialised rule is enabled, the engine hides
   * those kinds from the neutral rule so one problem yields one finding.
   */
  specialises?: { rule: string; kinds: string[] };
}

export interface RuleContext {
  now: Date;
  config: import('./config.js').Config;
}

/** What a rule reports; the engine completes it into a `Finding` (fingerprint, owasp, remediation...). */
export interface FindingDraft {
  resource: ResourceRef;
  message: string;
  /** Overrides the rule's (configured) severity for this one finding, e.g. a secret still at HEAD. */
  severity?: Severity;
  title?: string;
  location?: FindingLocation;
  /**
   * Distinguishes several findings of one rule on one resource (an escalation path name, a file path).
   * Part of the fingerprint, so keep it content-stable: never a line number.
   */
  key?: string;
  evidence?: Record<string, unknown>;
}

// Rules are stored side by side whatever their options type; `any` lets a typed `Rule<X>` sit in a `Rule[]`.
// oxlint-disable-next-line typescript/no-explicit-any
export interface Rule<Options = any> {
  meta: RuleMeta;
  check(inventory: Inventory, options: Options, context: RuleContext): FindingDraft[];
}

/**
 * Where a reporter writes: a sink of text chunks. Reporters never build the whole report as one string
 * (a large estate's report outgrows V8's string limit); they hand the sink pieces, and the sink decides
 * whether they go to a file (src/atomic-write.ts) or into memory.
 */
export interface ReportSink {
  write(chunk: string): void;
}

/** One report format: registered by a plugin like a connector or a rule, chosen with `--format`. */
export interface Reporter {
  /** The name `--format` and the config's `format` use, e.g. `json`. */
  format: string;
  /** The file written in the report directory. */
  fileName: string;
  /** Written when neither `--format` nor the config's `format` lists the formats (the built-ins are). */
  byDefault?: boolean;
  /** Streams the report to the sink in chunks; a pure function of the report. */
  write(report: import('./report-model.js').ScanReport, sink: ReportSink): void | Promise<void>;
}

export interface NhiscanPlugin {
  name: string;
  connectors?: Connector[];
  importers?: Importer[];
  enrichers?: Enricher[];
  rules?: Rule[];
  reporters?: Reporter[];
  /**
   * Secret detectors, as declarative catalogue entries (see docs/secrets.md, "Adding a detector"): id,
   * pattern, keywords, built-in validator names, confidence, severity, references, examples. They run in
   * the `git:` and `dir:` scans beside the built-in ones; an id of a built-in detector is an error.
   */
  detectors?: DetectorEntry[];
}

/** Identity helper for plugin authors: gives type checking without importing anything else. */
export function definePlugin(plugin: NhiscanPlugin): NhiscanPlugin {
  return plugin;
}

export function defineReporter(reporter: Reporter): Reporter {
  return reporter;
}

export function defineRule<Options>(rule: Rule<Options>): Rule<Options> {
  return rule;
}
