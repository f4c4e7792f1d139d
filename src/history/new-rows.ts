/**
 * The rows a recording inserts for its new findings: every finding of a store's first recording
 * (55,578 in the bench). On SQLite they are handed over one reused array at a time; on PostgreSQL
 * they are laid out in binary COPY by one flat loop here, which in a fresh process costs a third of
 * the generic per-field encoding (src/history/copy-binary.ts).
 */
import type { BinaryEncoder, CopyMessages, FillState } from './copy-binary.js';
import { binaryFields, filledMessages } from './copy-binary.js';
import { HistoryError, type BinaryRows, type Column } from './db.js';
import { NEW, type Present } from './transitions.js';

/** A new finding's columns: what varies from one new finding to the next. */
export const NEW_FINDING_COLUMNS: readonly Column[] = [
  { name: 'id', type: 'int' },
  { name: 'fingerprint', type: 'text' },
  { name: 'facts_id', type: 'int' },
  { name: 'resource_id', type: 'text' },
  { name: 'resource_name', type: 'text' },
];

/** The server's types the binary layout below writes, column for column (INTEGER is int4). */
const LAYOUT: readonly BinaryEncoder[] = ['int4', 'text', 'int4', 'text', 'text'];

/** The fixed bytes of a row: the field count, and each field's length, int4 values whole. */
const FIXED_BYTES = 2 + 5 * 4 + 2 * 4;

/**
 * The `added` new findings of `present` as rows of NEW_FINDING_COLUMNS. Handed over as one reused
 * array: an array per row (every finding of a first recording) outlived the young generation, and
 * collecting it in a heap that holds the whole scan cost as much as inserting the rows.
 */
export function newRows(present: Present, added: number): BinaryRows {
  return {
    *[Symbol.iterator]() {
      const { kind, id, factsId, findings } = present;
      const row: unknown[] = [0, '', 0, '', ''];
      for (let i = 0; i < kind.length; i++) {
        if (kind[i] !== NEW) continue;
        const item = findings.items[i]!;
        row[0] = id[i];
        row[1] = item.fingerprint;
        row[2] = factsId[i];
        row[3] = item.resource.id;
        row[4] = item.resource.name;
        yield row;
      }
    },
    binaryMessages: (encoders, constants) => binaryNewRows(present, added, encoders, constants),
  };
}

/** The rows in binary COPY, when the columns have the server types LAYOUT writes. */
function binaryNewRows(present: Present, added: number, encoders: readonly BinaryEncoder[], constants: readonly unknown[]): CopyMessages | undefined {
  if (encoders.length !== LAYOUT.length + constants.length || LAYOUT.some((e, c) => encoders[c] !== e)) return undefined;
  const tail = binaryFields(encoders.slice(LAYOUT.length), constants);
  return filledMessages(added, present.kind.length, (state) => fillNewRows(present, encoders.length, tail, state));
}

/**
 * Writes the new findings from `state.next` on while they fit, each field in place: ints by hand,
 * ASCII text a unit to a byte (anything else by Buffer#write), then the constants' `tail`. One loop
 * with no call per field: in a fresh process each call, and each value of another kind met at a
 * shared site, is paid over 55,578 rows before the loop is optimised.
 */
function fillNewRows(present: Present, fields: number, tail: Buffer, state: FillState): void {
  const { kind, id, factsId, findings } = present;
  const items = findings.items;
  const b = state.buffer;
  let at = state.at;
  let i = state.next;
  for (; i < kind.length; i++) {
    if (kind[i] !== NEW) continue;
    const item = items[i]!;
    // A plugin rule's or importer's value of another type (a numeric name) is written as the generic
    // encoder wrote it: its `length`, undefined, would make the cursor NaN and empty the message.
    const fingerprint = typeof item.fingerprint === 'string' ? item.fingerprint : textOf(item.fingerprint, 'fingerprint', item);
    const resourceId = typeof item.resource.id === 'string' ? item.resource.id : textOf(item.resource.id, 'resource id', item);
    const name = typeof item.resource.name === 'string' ? item.resource.name : textOf(item.resource.name, 'resource name', item);
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const need = FIXED_BYTES + 3 * (fingerprint.length + resourceId.length + name.length) + tail.length;
    if (at + need > b.length) {
      state.need = need;
      break;
    }
    b[at] = fields >>> 8;
    b[at + 1] = fields;
    at += 2;
    for (let c = 0; c < LAYOUT.length; c++) {
      if (c === 0 || c === 2) {
        const value = c === 0 ? id[i]! : factsId[i]!;
        if ((value | 0) !== value) throw new HistoryError(`cannot write ${value} into a history store column of type int4`);
        b[at] = 0;
        b[at + 1] = 0;
        b[at + 2] = 0;
        b[at + 3] = 4;
        b[at + 4] = value >>> 24;
        b[at + 5] = value >>> 16;
        b[at + 6] = value >>> 8;
        b[at + 7] = value;
        at += 8;
        continue;
      }
      const text = c === 1 ? fingerprint : c === 3 ? resourceId : name;
      const start = at + 4;
      let length = text.length;
      for (let k = 0; k < length; k++) {
        const unit = text.charCodeAt(k);
        if (unit > 0x7f) {
          length = b.write(text, start, 'utf8');
          break;
        }
        b[start + k] = unit;
      }
      b[at] = length >>> 24;
      b[at + 1] = length >>> 16;
      b[at + 2] = length >>> 8;
      b[at + 3] = length;
      at = start + length;
    }
    b.set(tail, at);
    at += tail.length;
  }
  state.at = at;
  state.next = i;
}

/**
 * A value of another type than text, as the generic encoder writes it. None (null, undefined) is refused,
 * as SQLite's NOT NULL column refuses it: `String()` would store "undefined", a name nobody gave.
 */
function textOf(value: unknown, what: string, item: { fingerprint: unknown }): string {
  if (value === null || value === undefined) throw new HistoryError(`finding ${String(item.fingerprint)} has no ${what}`);
  return String(value);
}
