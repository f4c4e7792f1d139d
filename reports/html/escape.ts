/**
 * Escaping for the HTML report. Reports carry attacker-controlled strings (resource names, paths,
 * commit messages, tag values), so every value goes through `h` in text and attributes, and data for
 * the page's script goes through `scriptJson`, which cannot close its `<script>` element.
 */
import { createHash } from 'node:crypto';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or a double- or single-quoted attribute value. */
export function h(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * JSON to embed in `<script type="application/json">`: `<`, `>` and `&` become `\u003c`-style escapes
 * (so no `</script>` or `<!--` can appear), as do the two line separators JavaScript once rejected.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A Content-Security-Policy source for an inline block: the page allows exactly its own script and style. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** A fragment id made from a rule id (ids are plain, but plugins choose their own). */
export function anchor(prefix: string, id: string): string {
  return `${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
