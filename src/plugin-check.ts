/**
 * A plugin is code from outside nhiscan: its shape is checked when it is registered (a rule without
 * `meta`, `rules: [null]`, a connector without a scheme is a config error naming the plugin and the
 * entry, exit 2), and what its rules return is checked at run time (a string, a draft without a
 * `resource`): a bad result is treated like a rule that threw, so the rest of the analysis and the
 * report go on.
 */
import { lazySchema } from './zod-lazy.js';
import { ConfigError, formatZodError } from './config.js';
import { CATEGORIES, SEVERITIES } from './model/index.js';
import type { FindingDraft, NhiscanPlugin } from './plugin.js';

const fn = lazySchema((z) => z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', 'expected a function'));
const text = lazySchema((z) => z.string().min(1));
const zodSchema = lazySchema((z) => z.custom((v) => !!v && typeof (v as { safeParse?: unknown }).safeParse === 'function', 'expected a zod schema'));

const meta = lazySchema((z) =>
  z.looseObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case rule id'),
    title: text,
    category: z.enum(CATEGORIES),
    defaultSeverity: z.enum(SEVERITIES),
    owasp: z.array(z.string()),
    cis: z.array(z.string()).optional(),
    optionsSchema: zodSchema.optional(),
    description: text,
    remediation: text,
    specialises: z.object({ rule: text, kinds: z.array(z.string()) }).optional(),
  }),
);

const pluginSchema = lazySchema((z) =>
  z.looseObject({
    name: text,
    connectors: z
      .array(
        z.looseObject({
          scheme: z.string().regex(/^[a-z][a-z0-9+.-]*$/, 'expected a source scheme such as "vault"'),
          description: z.string(),
          collect: fn,
          options: z.array(z.looseObject({ name: text, type: z.enum(['string', 'boolean']) })).optional(),
        }),
      )
      .optional(),
    importers: z.array(z.looseObject({ id: text, description: z.string(), detect: fn, read: fn })).optional(),
    enrichers: z.array(z.looseObject({ id: text, enrich: fn, order: z.number().optional() })).optional(),
    rules: z.array(z.looseObject({ meta, check: fn })).optional(),
    reporters: z
      .array(
        z.looseObject({
          format: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a format name such as "csv"'),
          fileName: text,
          byDefault: z.boolean().optional(),
          write: fn,
        }),
      )
      .optional(),
    detectors: z
      .array(
        z.looseObject({
          id: text,
          title: text,
          provider: text,
          keywords: z.array(text).min(1),
          pattern: z.instanceof(RegExp),
          confidence: z.enum(['validated', 'structured', 'generic']),
          severity: z.enum(SEVERITIES),
          validators: z.array(text).optional(),
        }),
      )
      .optional(),
  }),
);

/** Throws a ConfigError naming the plugin and each entry that does not fit the plugin API. */
export function checkPluginShape(plugin: unknown, origin: string): asserts plugin is NhiscanPlugin {
  const result = pluginSchema.safeParse(plugin);
  if (!result.success) throw new ConfigError(`invalid plugin ${origin}:\n${formatZodError(result.error)}`);
}

const draftSchema = lazySchema((z) =>
  z.looseObject({
    resource: z.looseObject({ id: text, name: z.string(), provider: text, kind: text }),
    message: z.string(),
    severity: z.enum(SEVERITIES).optional(),
    title: z.string().optional(),
    key: z.string().optional(),
    location: z.looseObject({ path: z.string(), line: z.number().optional() }).optional(),
    evidence: z.record(z.string(), z.unknown()).optional(),
  }),
);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
const isOptional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);
const SEVERITY_SET = new Set<unknown>(SEVERITIES);

/**
 * A draft draftSchema accepts, told without zod: what every built-in rule returns, so a scan that
 * validates nothing else (a pre-commit hook's) need not load zod to check its findings. Never looser
 * than draftSchema; a draft it refuses goes to draftSchema for the message.
 */
function isWellFormedDraft(draft: unknown): boolean {
  if (!isRecord(draft) || !isRecord(draft.resource) || typeof draft.message !== 'string') return false;
  const { resource, location } = draft;
  return (
    isText(resource.id) &&
    typeof resource.name === 'string' &&
    isText(resource.provider) &&
    isText(resource.kind) &&
    isOptional(draft.severity, (v) => SEVERITY_SET.has(v)) &&
    isOptional(draft.title, (v) => typeof v === 'string') &&
    isOptional(draft.key, (v) => typeof v === 'string') &&
    isOptional(location, (v) => isRecord(v) && typeof v.path === 'string' && isOptional(v.line, (n) => Number.isFinite(n))) &&
    isOptional(draft.evidence, isRecord)
  );
}

/** The drafts a rule returned, or an Error saying what is wrong with them (the first bad draft, by index). */
export function checkRuleResult(result: unknown): FindingDraft[] | Error {
  if (!Array.isArray(result)) return new Error(`returned ${result === null ? 'null' : typeof result} instead of a list of findings`);
  for (let i = 0; i < result.length; i++) {
    if (isWellFormedDraft(result[i])) continue;
    const parsed = draftSchema.safeParse(result[i]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return new Error(`returned an invalid finding at [${i}]${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
    }
  }
  return result as FindingDraft[];
}
