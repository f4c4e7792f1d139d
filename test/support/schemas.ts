import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { ROOT } from './cli.js';

const require = createRequire(import.meta.url);

/** Validates against docs/report.schema.json; returns ajv's errors as text, or '' when valid. */
export function reportSchemaErrors(report: unknown): string {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'docs/report.schema.json'), 'utf8')));
  return validate(report) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}

/** Validates against the official OASIS SARIF 2.1.0 schema (draft-04). */
export function sarifSchemaErrors(log: unknown): string {
  const schemaPath = join(require.resolve('@microsoft/jest-sarif/package.json'), '../lib/schemas/sarif-2.1.0-rtm.5.json');
  // The official schema's language-tag pattern is not valid under the u flag, so compile without it.
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  return validate(log) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}
