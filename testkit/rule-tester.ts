/**
 * `testRule(rule, { valid, invalid })`: a rule tester in the style of ESLint's RuleTester.
 *
 * Each case is a small inventory written inline (see the builders in `testkit/inventory/`). A `valid` case must
 * produce no finding; an `invalid` case states every finding it expects (resource, and optionally severity,
 * message fragment, key, evidence, location) and gets exactly those, in any order. Options go through the rule's
 * own schema, as the engine does, so defaults apply and a bad option fails the case.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../src/config.js';
import type { Credential, Identity, Inventory, InventoryItem, Severity } from '../src/model/index.js';
import type { FindingDraft, Rule } from '../src/plugin.js';
import { TEST_NOW } from './inventory/core.js';

/** The clock every case runs at unless it says otherwise (the builders' `TEST_NOW`). */
export const RULE_TEST_NOW = TEST_NOW;

export interface RuleCase {
  /** Names the case in the test output; defaults to its position. */
  name?: string;
  /** The inventory: an `Inventory`, or its identities and credentials in one list. */
  inventory: Inventory | InventoryItem[];
  /** Rule options, before the rule's schema applies defaults. */
  options?: Record<string, unknown>;
  /** Config the rule sees (`settings`, …), merged over the defaults. */
  config?: Partial<Config>;
  now?: Date | string;
  /** Runs before the rule, e.g. the enricher whose facts the rule reads. */
  prepare?: (inventory: Inventory) => void | Promise<void>;
}

export interface ExpectedFinding {
  /** The resource's name or id. */
  resource: string;
  /** The finding's severity: the draft's own, else the rule's default. */
  severity?: Severity;
  /** A fragment the message contains, or a pattern it matches. */
  message?: string | RegExp;
  /** The draft's key; `null` requires that it has none. */
  key?: string | null;
  /** Facts the evidence holds (a partial match; vitest asymmetric matchers work). */
  evidence?: Record<string, unknown>;
  location?: Record<string, unknown>;
}

export interface InvalidRuleCase extends RuleCase {
  findings: ExpectedFinding[];
}

export interface RuleTests {
  /** Default clock of every case. */
  now?: Date | string;
  valid: RuleCase[];
  invalid: InvalidRuleCase[];
}

/** Splits a list of items into an inventory: identities carry grants, credentials do not. */
export function toInventory(input: Inventory | InventoryItem[]): Inventory {
  if (!Array.isArray(input)) return input;
  return {
    identities: input.filter((x): x is Identity => 'grants' in x),
    credentials: input.filter((x): x is Credential => !('grants' in x)),
  };
}

/** Runs one rule on one case as the engine would (options through the schema), and returns its drafts. */
export async function runRule(rule: Rule, testCase: RuleCase, defaultNow: Date | string = RULE_TEST_NOW): Promise<FindingDraft[]> {
  const inventory = toInventory(testCase.inventory);
  await testCase.prepare?.(inventory);
  const options = rule.meta.optionsSchema ? rule.meta.optionsSchema.parse(testCase.options ?? {}) : (testCase.options ?? {});
  const now = new Date(testCase.now ?? defaultNow);
  return rule.check(inventory, options, { now, config: { ...defaultConfig(), ...testCase.config } });
}

/** Registers one vitest test per case, under `describe(rule id)`. */
export function testRule(rule: Rule, tests: RuleTests): void {
  describe(rule.meta.id, () => {
    tests.valid.forEach((testCase, index) => {
      it(`valid: ${testCase.name ?? `case ${index + 1}`}`, async () => {
        const drafts = await runRule(rule, testCase, tests.now);
        expect(drafts.map((d) => summarise(rule, d))).toEqual([]);
      });
    });
    tests.invalid.forEach((testCase, index) => {
      it(`invalid: ${testCase.name ?? `case ${index + 1}`}`, async () => {
        expect(testCase.findings.length, 'an invalid case states the findings it expects').toBeGreaterThan(0);
        expect(await verifyInvalid(rule, testCase, tests.now)).toEqual({ missing: [], unexpected: [], unknownResources: [] });
      });
    });
  });
}

/**
 * What an invalid case got wrong: expected findings the rule did not produce, findings nobody expected, and
 * findings about a resource that is not in the inventory. All three empty means the case passes.
 */
export async function verifyInvalid(rule: Rule, testCase: InvalidRuleCase, defaultNow: Date | string = RULE_TEST_NOW) {
  const drafts = await runRule(rule, testCase, defaultNow);
  return compare(rule, drafts, testCase.findings, toInventory(testCase.inventory));
}

interface Summary {
  resource: string;
  id: string;
  severity: Severity;
  key?: string;
  message: string;
}

function summarise(rule: Rule, draft: FindingDraft): Summary {
  return {
    resource: draft.resource.name,
    id: draft.resource.id,
    severity: draft.severity ?? rule.meta.defaultSeverity,
    ...(draft.key ? { key: draft.key } : {}),
    message: draft.message,
  };
}

/** Pairs each expected finding with the first unclaimed draft it describes; what is left over on either side is the failure. */
function compare(rule: Rule, drafts: FindingDraft[], expected: ExpectedFinding[], inventory: Inventory) {
  const unclaimed = [...drafts];
  const missing: ExpectedFinding[] = [];
  for (const want of expected) {
    const at = unclaimed.findIndex((draft) => describes(rule, want, draft));
    if (at >= 0) unclaimed.splice(at, 1);
    else missing.push(want);
  }
  const ids = new Set([...inventory.identities, ...inventory.credentials].map((x) => x.id));
  const unknownResources = drafts.filter((d) => !ids.has(d.resource.id)).map((d) => d.resource.id);
  return { missing, unexpected: unclaimed.map((d) => summarise(rule, d)), unknownResources };
}

function describes(rule: Rule, want: ExpectedFinding, draft: FindingDraft): boolean {
  if (want.resource !== draft.resource.name && want.resource !== draft.resource.id) return false;
  if (want.severity !== undefined && want.severity !== (draft.severity ?? rule.meta.defaultSeverity)) return false;
  if (want.key !== undefined && (want.key ?? undefined) !== draft.key) return false;
  if (want.message !== undefined && !(typeof want.message === 'string' ? draft.message.includes(want.message) : want.message.test(draft.message))) return false;
  if (want.evidence !== undefined && !partialMatch(draft.evidence, want.evidence)) return false;
  if (want.location !== undefined && !partialMatch(draft.location, want.location)) return false;
  return true;
}

/** `expected`'s fields, recursively, hold in `actual`; arrays match element by element; asymmetric matchers are asked. */
function partialMatch(actual: unknown, expected: unknown): boolean {
  if (isAsymmetricMatcher(expected)) return expected.asymmetricMatch(actual);
  if (expected instanceof RegExp) return typeof actual === 'string' && expected.test(actual);
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => partialMatch(actual[i], e));
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') return false;
    return Object.entries(expected).every(([k, v]) => partialMatch((actual as Record<string, unknown>)[k], v));
  }
  return Object.is(actual, expected);
}

function isAsymmetricMatcher(value: unknown): value is { asymmetricMatch(actual: unknown): boolean } {
  return !!value && typeof value === 'object' && typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function';
}
