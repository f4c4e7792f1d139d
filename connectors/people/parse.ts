/**
 * A people directory from an HR system or identity provider, as CSV or JSON: one person per row with
 * `email`, `login` (several, `;`-separated), `name`, `status` (`active` | `departed`), `end_date` and
 * `manager` (an email). Common header spellings are accepted (see HEADER_ALIASES and docs/people.md).
 *
 * A bad row is named by its line (CSV) or index (JSON) and skipped; the rest of the file is used.
 * Duplicate people are merged and reported; `manager` cycles are reported (they would send an
 * offboarding suggestion round in circles).
 */
import { parse } from 'csv-parse/sync';
import { personId, type Person } from '../../src/model/index.js';
import type { SourceError } from '../../src/plugin.js';

type Field = 'email' | 'login' | 'name' | 'status' | 'endDate' | 'manager';

/** Normalised header (lower-case letters and digits only) → field. */
const HEADER_ALIASES: Record<string, Field> = {
  email: 'email',
  mail: 'email',
  workemail: 'email',
  emailaddress: 'email',
  primaryemail: 'email',
  businessemail: 'email',
  login: 'login',
  logins: 'login',
  github: 'login',
  githublogin: 'login',
  username: 'login',
  user: 'login',
  handle: 'login',
  handles: 'login',
  aliases: 'login',
  upn: 'login',
  userprincipalname: 'login',
  samaccountname: 'login',
  name: 'name',
  fullname: 'name',
  displayname: 'name',
  employeename: 'name',
  status: 'status',
  state: 'status',
  employmentstatus: 'status',
  workerstatus: 'status',
  accountstatus: 'status',
  enddate: 'endDate',
  terminationdate: 'endDate',
  terminated: 'endDate',
  leftdate: 'endDate',
  lastday: 'endDate',
  departuredate: 'endDate',
  leavingdate: 'endDate',
  manager: 'manager',
  manageremail: 'manager',
  reportsto: 'manager',
  supervisor: 'manager',
  supervisoremail: 'manager',
};

const ACTIVE = /^(active|employed|current|enabled|true|yes|1|on leave|leave)$/i;
const DEPARTED = /^(departed|terminated|inactive|left|offboarded|former|disabled|false|no|0|leaver|deleted|retired)$/i;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export interface ParsedPeople {
  people: Person[];
  errors: SourceError[];
}

function fieldOf(header: string): Field | undefined {
  return HEADER_ALIASES[header.toLowerCase().replace(/[^a-z0-9]/g, '')];
}

function isoDate(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value.slice(0, 10) ? undefined : new Date(ms).toISOString();
}

/** One row → a person, or why not. */
export function personFromRow(row: Partial<Record<Field, string | string[]>>, source: string, now: Date): Person | string {
  const text = (f: Field) => {
    const v = row[f];
    return (Array.isArray(v) ? v.join(';') : (v ?? '')).trim();
  };
  const email = text('email').toLowerCase() || undefined;
  if (email && !EMAIL.test(email)) return `"${email}" is not an email address`;
  const aliases = text('login')
    .split(/[;,\s]+/)
    .map((l) => l.trim().replace(/^@/, '').toLowerCase())
    .filter(Boolean);
  if (!email && !aliases.length) return 'no email and no login';
  const endRaw = text('endDate');
  const endDate = endRaw ? isoDate(endRaw) : undefined;
  if (endRaw && !endDate) return `end_date "${endRaw}" is not a date (YYYY-MM-DD)`;
  const statusRaw = text('status');
  let status: Person['status'];
  if (!statusRaw) status = endDate ? (Date.parse(endDate) <= now.getTime() ? 'departed' : 'active') : 'unknown';
  else if (DEPARTED.test(statusRaw)) status = 'departed';
  else if (ACTIVE.test(statusRaw)) status = endDate && Date.parse(endDate) <= now.getTime() ? 'departed' : 'active';
  else return `status "${statusRaw}" is neither active nor departed`;
  const manager = text('manager').toLowerCase() || undefined;
  if (manager && !EMAIL.test(manager)) return `manager "${manager}" is not an email address`;
  const name = text('name') || undefined;
  return {
    id: personId(email ?? aliases[0]!),
    ...(email ? { email } : {}),
    aliases: aliases.filter((a) => a !== email),
    ...(name ? { name } : {}),
    status,
    ...(endDate ? { endDate } : {}),
    ...(manager ? { manager } : {}),
    sources: [source],
  };
}

interface RawRow {
  where: string;
  values: Partial<Record<Field, string | string[]>>;
}

function csvRows(text: string, path: string): RawRow[] {
  // `info: true` gives each record its line number, for the per-row errors.
  const records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, info: true }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  if (!records.length) return [];
  const fields = records[0]!.record.map(fieldOf);
  if (!fields.includes('email') && !fields.includes('login')) {
    throw new Error(`${path}: no email or login column (headers: ${records[0]!.record.join(', ')}); expected e.g. email,login,name,status,end_date,manager`);
  }
  return records.slice(1).map(({ record, info }) => {
    const values: RawRow['values'] = {};
    record.forEach((cell, i) => {
      const field = fields[i];
      if (field && cell && values[field] === undefined) values[field] = cell;
    });
    return { where: `${path}:${info.lines}`, values };
  });
}

function jsonRows(parsed: unknown, path: string): RawRow[] {
  const list = Array.isArray(parsed) ? parsed : (parsed as { people?: unknown })?.people;
  if (!Array.isArray(list)) throw new Error(`${path}: expected a JSON array of people (or {"people": [...]})`);
  return list.map((entry, i) => {
    const values: RawRow['values'] = {};
    if (entry && typeof entry === 'object') {
      for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
        const field = fieldOf(key);
        if (field && (typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))))
          values[field] = value as string | string[];
        else if (field && typeof value === 'boolean' && field === 'status') values[field] = String(value);
      }
    }
    return { where: `${path}[${i}]`, values };
  });
}

/** Manager chains that come back to where they started, each reported once. */
function managerCycles(people: Person[]): string[][] {
  const byEmail = new Map(people.filter((p) => p.email).map((p) => [p.email!, p]));
  const cycles: string[][] = [];
  const done = new Set<string>();
  for (const start of people) {
    const path: string[] = [];
    let at: Person | undefined = start;
    while (at?.email && !done.has(at.email) && !path.includes(at.email)) {
      path.push(at.email);
      at = at.manager ? byEmail.get(at.manager) : undefined;
    }
    if (at?.email && path.includes(at.email)) cycles.push(path.slice(path.indexOf(at.email)));
    for (const email of path) done.add(email);
  }
  return cycles;
}

export function parsePeople(text: string, path: string, source: string, now: Date): ParsedPeople {
  let parsed: unknown;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`${path}: not valid JSON: ${(error as Error).message}`);
    }
  }
  const rows = parsed !== undefined ? jsonRows(parsed, path) : csvRows(text, path);
  const errors: SourceError[] = [];
  const byId = new Map<string, { person: Person; where: string }>();
  for (const row of rows) {
    const person = personFromRow(row.values, source, now);
    if (typeof person === 'string') {
      errors.push({ part: row.where, message: `skipped: ${person}` });
      continue;
    }
    const seen = byId.get(person.id);
    if (seen) {
      errors.push({ part: row.where, message: `duplicate of ${seen.where} (${person.id.slice('person:'.length)}): merged` });
      for (const alias of person.aliases) if (!seen.person.aliases.includes(alias)) seen.person.aliases.push(alias);
      if (person.status === 'departed') seen.person.status = 'departed';
    } else byId.set(person.id, { person, where: row.where });
  }
  const people = [...byId.values()].map((v) => v.person);
  for (const cycle of managerCycles(people)) errors.push({ part: `${path}:manager`, message: `manager cycle: ${[...cycle, cycle[0]].join(' → ')}` });
  return { people, errors };
}
