/**
 * The IAM credential report: a CSV (base64 in the API, plain once decoded) with one row per user and
 * a `<root_account>` row. It is the one bulk source of password, MFA and access-key rotation/last-use facts.
 */
import { toIsoDate } from '../../src/time.js';

export const REPORT_REQUIRED_COLUMNS = ['user', 'arn', 'user_creation_time', 'password_enabled', 'access_key_1_active'];
export const ROOT_USER = '<root_account>';

export interface ReportKeySlot {
  slot: 1 | 2;
  active: boolean;
  lastRotated?: string;
  lastUsedDate?: string;
  lastUsedRegion?: string;
  lastUsedService?: string;
}

export interface ReportRow {
  user: string;
  arn: string;
  isRoot: boolean;
  createdAt?: string;
  /** undefined for the root row when AWS writes `not_supported`. */
  passwordEnabled?: boolean;
  passwordLastUsed?: string;
  passwordLastChanged?: string;
  mfaActive: boolean;
  /** Slots holding a key (active or not); an empty slot reads `false` / `N/A`. */
  keys: ReportKeySlot[];
}

export class CredentialReportError extends Error {
  override name = 'CredentialReportError';
}

/** The key columns AWS writes for each of a user's two access keys. */
const KEY_COLUMNS = [1, 2].flatMap((slot) =>
  ['active', 'last_rotated', 'last_used_date', 'last_used_region', 'last_used_service'].map((c) => `access_key_${slot}_${c}`),
);

/** Lines in any of the three line-ending conventions (CR alone is what old spreadsheet exports write). */
function reportLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .filter((l) => l.trim() !== '');
}

function headerColumns(text: string): string[] {
  return splitCsvLine(reportLines(text)[0] ?? '').map((c) => c.trim());
}

/** True when `text` starts with the credential report header (quoted or not, as spreadsheets re-save it). */
export function looksLikeCredentialReport(text: string): boolean {
  const columns = headerColumns(text);
  return REPORT_REQUIRED_COLUMNS.every((c) => columns.includes(c));
}

/** The access-key columns the report lacks (a trimmed or hand-made export): their facts are not covered. */
export function missingKeyColumns(text: string): string[] {
  const columns = new Set(headerColumns(text));
  return KEY_COLUMNS.filter((c) => !columns.has(c));
}

/**
 * Parses the report. A row with too few columns throws, unless `skipped` is given: it is then left
 * out and recorded there (`line N: why`), so one damaged row does not cost the whole report.
 */
export function parseCredentialReport(text: string, skipped?: string[]): ReportRow[] {
  const lines = reportLines(text);
  if (!lines.length || !looksLikeCredentialReport(lines[0]!)) {
    throw new CredentialReportError(`not a credential report: the header must contain ${REPORT_REQUIRED_COLUMNS.join(', ')}`);
  }
  const header = splitCsvLine(lines[0]!).map((c) => c.trim());
  return lines.slice(1).flatMap((line, index) => {
    const cells = splitCsvLine(line);
    if (cells.length < header.length - 4 || cells.length < REPORT_REQUIRED_COLUMNS.length) {
      const why = `credential report line ${index + 2} has ${cells.length} columns, expected ${header.length}`;
      if (!skipped) throw new CredentialReportError(why);
      skipped.push(why);
      return [];
    }
    const get = (name: string): string | undefined => {
      const i = header.indexOf(name);
      const v = i >= 0 ? cells[i]?.trim() : undefined;
      return v === undefined || v === '' || /^(n\/a|not_supported|no_information)$/i.test(v) ? undefined : v;
    };
    const isRoot = get('user') === ROOT_USER;
    const keys: ReportKeySlot[] = [];
    for (const slot of [1, 2] as const) {
      const active = get(`access_key_${slot}_active`) === 'true';
      const lastRotated = toIsoDate(get(`access_key_${slot}_last_rotated`));
      if (!active && !lastRotated) continue; // empty slot
      keys.push({
        slot,
        active,
        lastRotated,
        lastUsedDate: toIsoDate(get(`access_key_${slot}_last_used_date`)),
        lastUsedRegion: get(`access_key_${slot}_last_used_region`),
        lastUsedService: get(`access_key_${slot}_last_used_service`),
      });
    }
    const password = get('password_enabled');
    return [
      {
        user: get('user') ?? '',
        arn: get('arn') ?? '',
        isRoot,
        createdAt: toIsoDate(get('user_creation_time')),
        passwordEnabled: password === undefined ? undefined : password === 'true',
        passwordLastUsed: toIsoDate(get('password_last_used')),
        passwordLastChanged: toIsoDate(get('password_last_changed')),
        mfaActive: get('mfa_active') === 'true',
        keys,
      },
    ];
  });
}

/** RFC 4180 split of one line; AWS never quotes, but spreadsheets that re-save the file do. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** Decodes the API's base64 `Content` (SDK gives bytes; the CLI's JSON gives a base64 string). */
export function decodeReportContent(content: Uint8Array | string): string {
  if (typeof content === 'string') return Buffer.from(content, 'base64').toString('utf8');
  return Buffer.from(content).toString('utf8');
}
