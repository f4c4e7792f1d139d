/**
 * Text that comes from a scanned source's metadata (a commit's author name and e-mail, a file name) is
 * written into every report, including the SARIF uploaded to code scanning and Markdown rendered in a
 * terminal or browser. Anyone who could commit chose it, so it is cleaned before it is kept:
 * - terminal escape sequences (ANSI CSI colours, OSC hyperlinks and titles) and every other control or
 *   bidirectional-override character are removed;
 * - secrets in it are found with the same engine as file contents and replaced by their redacted
 *   preview, and known token shapes are scrubbed as a last line of defence.
 */
import { scanText } from './secrets/index.js';
import { redactedPreview, redactText } from './redact.js';

/** ESC [ … final byte (CSI), ESC ] … BEL or ESC \ (OSC), and two-character ESC sequences. */
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\|$)|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function stripControlCharacters(text: string): string {
  return text.replace(ESCAPES, '').replace(CONTROLS, '');
}

/** A metadata string fit for a report: no control characters, no secret. */
export function cleanMetadata(text: string): string {
  let clean = stripControlCharacters(text);
  if (!clean) return clean;
  // Longest first, so a value containing another one is replaced whole.
  const values = [...new Set(scanText(clean).map((hit) => hit.value))].sort((a, b) => b.length - a.length);
  for (const value of values) clean = clean.split(value).join(redactedPreview(value));
  return redactText(clean);
}
