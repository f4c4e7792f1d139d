/**
 * A batch's results as numbers, for the trip from a scan worker to the main thread. Nearly every result
 * of a history scan says only "scanned, no hit, this size": cloning 150,000 such objects (each with its
 * empty hit list) through postMessage, and building them again on the other side, was ~7% of a worker's
 * CPU on the synthetic history. Those go as (key, size) pairs and a code each, in transferred typed
 * arrays; a result with anything more (hits, an error, a note) goes as its object, in order.
 */
import type { BatchReply } from './worker-source.js';
import type { Outcome, WorkResult } from './worker.js';

const OUTCOMES = [
  'scanned',
  'binary',
  'lfs-pointer',
  'nhiscan-report',
  'empty',
  'too-large',
  'missing',
  'not-blob',
  'error',
  'hand-back',
] as const satisfies readonly Outcome[];
// An Outcome added without its place here fails to compile: packed as -1 it would read back as AS_OBJECT
// and shift every later object result by one.
const EVERY_OUTCOME_LISTED: [Exclude<Outcome, (typeof OUTCOMES)[number]>] extends [never] ? true : never = true;
void EVERY_OUTCOME_LISTED;
const OUTCOME_BITS = 0x0f;
const NON_UTF8 = 0x10;
const HAS_SIZE = 0x20;
/** The next result of `results`, as an object. */
const AS_OBJECT = 0xff;

/** A reply as it travels: plain results packed, the others kept. */
export interface PackedReply {
  batch: number;
  /** Per result, in order: an outcome with flags, or AS_OBJECT. */
  codes?: Uint8Array;
  /** (key, size) per packed result, in order. */
  numbers?: Float64Array;
  /** The results sent as objects, in order. */
  results: WorkResult[];
  failed?: string;
}

/** What a plain result may hold: anything else (hits, an error, a note a source adds) sends it as an object. */
const PLAIN_FIELDS = new Set(['key', 'hits', 'nonUtf8', 'outcome', 'size']);

/** The code of a result that says nothing but its outcome, flag and size; AS_OBJECT for any other. */
function codeOf(result: WorkResult): number {
  if (result.hits.length !== 0 || result.outcome === undefined || ('size' in result && result.size === undefined)) return AS_OBJECT;
  for (const name in result) if (!PLAIN_FIELDS.has(name)) return AS_OBJECT;
  const outcome = (OUTCOMES as readonly Outcome[]).indexOf(result.outcome);
  // An outcome the table does not know (a value a type check missed) travels whole.
  if (outcome < 0) return AS_OBJECT;
  return outcome | (result.nonUtf8 ? NON_UTF8 : 0) | (result.size === undefined ? 0 : HAS_SIZE);
}

/** The reply with its plain results packed, and the buffers to transfer with it. */
export function packReply(reply: BatchReply): { message: PackedReply; transfer: ArrayBuffer[] } {
  const { results } = reply;
  if (results.length < 2) return { message: reply, transfer: [] };
  const codes = new Uint8Array(results.length);
  const numbers = new Float64Array(2 * results.length);
  const objects: WorkResult[] = [];
  let packed = 0;
  for (let i = 0; i < results.length; i++) {
    const result = results[i]!;
    const code = codeOf(result);
    codes[i] = code;
    if (code === AS_OBJECT) objects.push(result);
    else {
      numbers[2 * packed] = result.key;
      numbers[2 * packed + 1] = result.size ?? 0;
      packed++;
    }
  }
  const message: PackedReply = { batch: reply.batch, codes, numbers, results: objects };
  if (reply.failed !== undefined) message.failed = reply.failed;
  return { message, transfer: [codes.buffer, numbers.buffer] };
}

/** The results of a reply, packed or not, as the worker made them, in order. */
export function unpackResults(reply: PackedReply): WorkResult[] {
  const { codes, numbers, results } = reply;
  if (!codes || !numbers) return results;
  const out: WorkResult[] = [];
  let object = 0,
    packed = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === AS_OBJECT) {
      out.push(results[object++]!);
      continue;
    }
    const result: WorkResult = { key: numbers[2 * packed]!, hits: [], nonUtf8: (code & NON_UTF8) !== 0, outcome: OUTCOMES[code & OUTCOME_BITS]! };
    if (code & HAS_SIZE) result.size = numbers[2 * packed + 1]!;
    out.push(result);
    packed++;
  }
  return out;
}
