/**
 * Validates emulator responses against GitHub's official OpenAPI description (@octokit/openapi), so the
 * emulator cannot drift from the real API.
 *
 * The dereferenced description is ~70 MB and takes seconds to parse, so the response schemas of the
 * operations the emulator serves are extracted once into a small cache file (keyed by the package
 * version and the operation list) and validators are compiled lazily per operation and status.
 * OpenAPI 3.0 `nullable` is rewritten into JSON Schema (`type: [t, 'null']` / `anyOf [..., null]`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Schema = Record<string, unknown>;
type Spec = { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>> };
/** `GET /orgs/{org}/repos` → status → schema. */
type Extracted = Record<string, Record<string, Schema>>;

let extracted: Extracted | undefined;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction | null>();

/** OpenAPI 3.0 → JSON Schema for the keywords that matter to validation. */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node as Schema)) {
    if (k === 'example' || k === 'examples' || k === 'description') continue;
    out[k] = toJsonSchema(v);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  delete out.nullable;
  return out;
}

function openapiRoot(): { root: string; version: string } {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('@octokit/openapi/package.json');
  return { root: dirname(pkgPath), version: String(JSON.parse(readFileSync(pkgPath, 'utf8')).version) };
}

/** Loads (or builds and caches) the response schemas of `operations` (`GET /path/{template}`). */
export function loadSchemas(operations: string[]): Extracted {
  if (extracted) return extracted;
  const { root, version } = openapiRoot();
  const key = createHash('sha256')
    .update(`${version}\n${[...operations].sort().join('\n')}`)
    .digest('hex')
    .slice(0, 16);
  const cacheDir = join(root, '..', '..', '.cache', 'nhiscan-github-openapi');
  const cacheFile = join(cacheDir, `${key}.json`);
  if (existsSync(cacheFile)) {
    extracted = JSON.parse(readFileSync(cacheFile, 'utf8')) as Extracted;
    return extracted;
  }
  const spec = JSON.parse(readFileSync(join(root, 'generated', 'api.github.com.deref.json'), 'utf8')) as Spec;
  const out: Extracted = {};
  for (const op of operations) {
    const [method, template] = op.split(' ') as [string, string];
    const operation = spec.paths[template]?.[method.toLowerCase()];
    if (!operation) throw new Error(`emulator operation ${op} is not in GitHub's OpenAPI description`);
    out[op] = {};
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const schema = response.content?.['application/json']?.schema;
      if (schema) out[op]![status] = toJsonSchema(schema) as Schema;
    }
  }
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(out));
  extracted = out;
  return out;
}

function getAjv(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true });
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
    addFormats(ajv);
    for (const f of ['int32', 'int64', 'repo.nwo', 'ssh-key', 'ssh-key fingerprint', 'uri-template']) ajv.addFormat(f, true);
  }
  return ajv;
}

export interface ValidationIssue {
  operation: string;
  status: number;
  errors: string[];
}

/** The problems with `body` as the `status` response of `operation` (`GET /orgs/{org}/repos`); undefined when valid. */
export function validateResponse(operations: string[], operation: string, status: number, body: unknown): ValidationIssue | undefined {
  const key = `${operation} ${status}`;
  let validate = compiled.get(key);
  if (validate === undefined) {
    const schema = loadSchemas(operations)[operation]?.[String(status)];
    validate = schema ? getAjv().compile(schema) : null;
    compiled.set(key, validate);
  }
  if (validate === null) return { operation, status, errors: [`status ${status} is not a documented JSON response of ${operation}`] };
  if (validate(body)) return undefined;
  return { operation, status, errors: (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(root)'} ${e.message}`) };
}
