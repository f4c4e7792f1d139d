/**
 * Policy documents arrive in three shapes: URL-encoded JSON (the IAM API and the SDK), decoded JSON
 * objects (the AWS CLI decodes them before printing), or plain JSON strings (tools that re-serialise).
 */
import type { PolicyDocument } from '../../src/model/aws.js';

export class PolicyDocumentError extends Error {
  override name = 'PolicyDocumentError';
}

/** Returns the decoded document; throws PolicyDocumentError naming `what` when it cannot be read. */
export function decodePolicyDocument(value: unknown, what: string): PolicyDocument {
  if (value && typeof value === 'object') return asDocument(value, what);
  if (typeof value !== 'string' || !value.trim()) throw new PolicyDocumentError(`${what}: missing policy document`);
  const text = value.trim();
  // A JSON document starts with `{`; a URL-encoded one with `%7B`.
  const candidates = text.startsWith('{') ? [text] : [safeDecode(text), text];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    try {
      return asDocument(JSON.parse(candidate), what);
    } catch (error) {
      if (error instanceof PolicyDocumentError) throw error;
    }
  }
  throw new PolicyDocumentError(`${what}: policy document is neither JSON nor URL-encoded JSON`);
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}

function asDocument(value: unknown, what: string): PolicyDocument {
  const statement = (value as { Statement?: unknown }).Statement;
  if (!value || typeof value !== 'object' || Array.isArray(value) || statement === undefined) {
    throw new PolicyDocumentError(`${what}: policy document has no Statement`);
  }
  return value as PolicyDocument;
}
