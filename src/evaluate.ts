/**
 * Rule evaluation: resolves each rule's configured state (enabled, severity, options), hides from a
 * provider-neutral rule the kinds a provider rule specialises, runs the pure checks and completes
 * each draft into a Finding with its content-stable fingerprint.
 */
import { addRemediationCommands } from './remediation/commands.js';
import { ConfigError, type Config, type RuleSetting } from './config.js';
import type { Logger } from './log.js';
import { formatZodError } from './config.js';
import { findingFingerprint } from './fingerprint.js';
import type { Finding, Inventory, Severity } from './model/index.js';
import type { Rule } from './plugin.js';
import type { Registry } from './registry.js';
import { checkRuleResult } from './plugin-check.js';

export interface ResolvedRule {
  rule: Rule;
  enabled: boolean;
  severity: Severity;
  /** True when the user set the severity: it then wins over a rule's per-finding severity. */
  severityConfigured: boolean;
  options: unknown;
}

function normaliseSetting(setting: RuleSetting | undefined): { enabled?: boolean; severity?: Severity; options?: Record<string, unknown> } {
  if (setting === undefined) return {};
  if (setting === 'off') return { enabled: false };
  if (setting === 'on') return { enabled: true };
  if (typeof setting === 'string') return { enabled: true, severity: setting };
  return setting;
}

/** Validates the config's rule settings against the registered rules; throws ConfigError on any mistake. */
export function resolveRules(registry: Registry, config: Config): ResolvedRule[] {
  const problems: string[] = [];
  for (const id of Object.keys(config.rules)) {
    if (!registry.rules.has(id)) problems.push(`  - rules.${id}: no such rule (see \`nhiscan rules\`)`);
  }
  const resolved = registry.sortedRules().map((rule) => {
    const setting = normaliseSetting(config.rules[rule.meta.id]);
    let options: unknown = setting.options ?? {};
    // No options set and defaults declared: the schema's defaults without validating (and without zod).
    if (setting.options === undefined && rule.meta.defaultOptions !== undefined) options = structuredClone(rule.meta.defaultOptions);
    else if (rule.meta.optionsSchema) {
      const parsed = rule.meta.optionsSchema.safeParse(options);
      if (parsed.success) options = parsed.data;
      else problems.push(formatZodError(parsed.error).replace(/^ {2}- /gm, `  - rules.${rule.meta.id}.options.`));
    }
    return {
      rule,
      enabled: setting.enabled ?? true,
      severity: setting.severity ?? rule.meta.defaultSeverity,
      severityConfigured: setting.severity !== undefined,
      options,
    };
  });
  if (problems.length) throw new ConfigError(`invalid rule settings:\n${problems.join('\n')}`);
  return resolved;
}

/** Kinds each neutral rule must not see, because an enabled provider rule judges them. */
function specialisedKinds(resolved: ResolvedRule[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const { rule, enabled } of resolved) {
    const spec = rule.meta.specialises;
    if (!enabled || !spec) continue;
    const set = map.get(spec.rule) ?? new Set<string>();
    spec.kinds.forEach((k) => set.add(k));
    map.set(spec.rule, set);
  }
  return map;
}

function without(inventory: Inventory, kinds: Set<string> | undefined): Inventory {
  if (!kinds?.size) return inventory;
  return {
    ...inventory,
    identities: inventory.identities.filter((i) => !kinds.has(i.kind)),
    credentials: inventory.credentials.filter((c) => !kinds.has(c.kind)),
  };
}

export function evaluateRules(
  registry: Registry,
  inventory: Inventory,
  config: Config,
  now: Date,
  log: Logger,
  onRuleError: (ruleId: string, error: unknown) => void = () => {},
): Finding[] {
  const resolved = resolveRules(registry, config);
  const hidden = specialisedKinds(resolved);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const { rule, enabled, severity, severityConfigured, options } of resolved) {
    if (!enabled) continue;
    let drafts;
    try {
      // A plugin rule's result is checked like its code runs: a bad one counts as the rule failing.
      const checked = checkRuleResult(rule.check(without(inventory, hidden.get(rule.meta.id)), options, { now, config }));
      if (checked instanceof Error) throw checked;
      drafts = checked;
    } catch (error) {
      log.warn(`rule ${rule.meta.id} failed and was skipped: ${(error as Error).message}`);
      onRuleError(rule.meta.id, error);
      continue;
    }
    for (const draft of drafts) {
      const fingerprint = findingFingerprint(rule.meta.id, draft.resource.id, draft.key);
      if (seen.has(fingerprint)) continue; // one finding per rule, resource and key
      seen.add(fingerprint);
      findings.push({
        fingerprint,
        ruleId: rule.meta.id,
        category: rule.meta.category,
        severity: severityConfigured ? severity : (draft.severity ?? severity),
        title: draft.title ?? rule.meta.title,
        message: draft.message,
        resource: draft.resource,
        ...(draft.location ? { location: draft.location } : {}),
        owasp: rule.meta.owasp,
        ...(rule.meta.cis?.length ? { cis: rule.meta.cis } : {}),
        remediation: rule.meta.remediation,
        ...(draft.evidence ? { evidence: draft.evidence } : {}),
      });
    }
  }
  addRemediationCommands(findings, inventory);
  return sortFindings(findings);
}

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/**
 * Findings on non-human identities first, then those on people (a report never leads with a human
 * administrator, however severe), each by severity, rule and resource.
 */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      Number(!!a.resource.human) - Number(!!b.resource.human) ||
      RANK[a.severity] - RANK[b.severity] ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.resource.id.localeCompare(b.resource.id) ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
}
