/** Cloud-provider validators: AWS key pairing and key-id decoding, GCP service-account JSON, Azure keys and SAS. */
import type { Validator } from '../detector.js';
import { AWS_DOC_EXAMPLE_KEYS, decodeAwsKeyId } from '../structure.js';
import { charClassCount, decodeBase64, shannonEntropy } from '../value-checks.js';
import { base64Length, lineOffsetAfter, lineOffsetBefore, pemValidator } from './common.js';

// ------------------------------------------------------------------ AWS

export const KEY_ID_SOURCE = '(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])';
const KEY_ID_GLOBAL = new RegExp(KEY_ID_SOURCE, 'g');
export const SECRET_KEY_SOURCE = '(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])';
const SECRET_KEY_GLOBAL = new RegExp(SECRET_KEY_SOURCE, 'g');
/** Names people give the secret half: aws_secret_access_key, AWS_SECRET_KEY, secretAccessKey, SecretAccessKey... */
const SECRET_KEY_NAME = /(?:aws)?[_.-]?secret[_.-]?(?:access)?[_.-]?key|secret[_.-]?access[_.-]?key|aws[_.-]?(?:secret|sk)\b/i;
/** How far (in lines) a key id and its secret may be apart to be called a pair. */
export const PAIR_LINES = 5;

/** Random-looking 40-char base64: not hex, several character classes, high entropy, not the doc example. */
function plausibleAwsSecret(value: string): boolean {
  if (AWS_DOC_EXAMPLE_KEYS.has(value)) return false;
  if (/^[0-9a-f]+$/i.test(value) || /^[A-Za-z]+$/.test(value)) return false; // sha1 hex, words
  return charClassCount(value) >= 3 && shannonEntropy(value) >= 4.0;
}

/** The key id nearest (by line, preceding on ties) to `pos` within PAIR_LINES lines. */
function nearestKeyId(text: string, pos: number): { id: string; distance: number } | undefined {
  const from = lineOffsetBefore(text, pos, PAIR_LINES);
  const to = lineOffsetAfter(text, pos, PAIR_LINES);
  const region = text.slice(from, to);
  const posLine = countLines(region, pos - from);
  let best: { id: string; distance: number } | undefined;
  for (const m of region.matchAll(KEY_ID_GLOBAL)) {
    if (AWS_DOC_EXAMPLE_KEYS.has(m[0])) continue;
    const distance = Math.abs(countLines(region, m.index) - posLine) + (m.index > pos - from ? 0.5 : 0);
    if (!best || distance < best.distance) best = { id: m[0], distance };
  }
  return best;
}

function countLines(text: string, upTo: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < upTo; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function keyIdFacts(id: string): Record<string, string> {
  const facts = decodeAwsKeyId(id);
  const decoded: Record<string, string> = { accessKeyId: id };
  if (facts?.accountId) decoded.awsAccountId = facts.accountId;
  return decoded;
}

export const awsPairValidator: Validator = (value, ctx) => {
  if (!plausibleAwsSecret(value)) return null;
  const near = nearestKeyId(ctx.text, ctx.matchStart);
  if (!near) return null;
  const temporary = near.id.startsWith('ASIA');
  return { decoded: keyIdFacts(near.id), confidence: 'high', ...(temporary ? { severity: 'medium' as const } : {}) };
};

export const awsLoneSecretValidator: Validator = (value, ctx) => {
  if (!plausibleAwsSecret(value)) return null;
  if (nearestKeyId(ctx.text, ctx.matchStart)) return null; // reported as a pair instead
  const before = ctx.text.slice(lineOffsetBefore(ctx.text, ctx.matchStart, 1), ctx.matchStart);
  return SECRET_KEY_NAME.test(before) ? { confidence: 'medium' } : null;
};

/** A key id alone is an identifier, not a secret: reported (medium) only when no secret pairs with it. */
export const awsKeyIdValidator: Validator = (value, ctx) => {
  if (AWS_DOC_EXAMPLE_KEYS.has(value) || value.includes('EXAMPLE')) return null;
  const facts = decodeAwsKeyId(value);
  if (!facts) return null;
  const from = lineOffsetBefore(ctx.text, ctx.matchStart, PAIR_LINES);
  const to = lineOffsetAfter(ctx.text, ctx.matchEnd, PAIR_LINES);
  for (const m of ctx.text.slice(from, to).matchAll(SECRET_KEY_GLOBAL)) {
    if (plausibleAwsSecret(m[0]) && nearestKeyId(ctx.text, from + m.index)?.id === value) return null;
  }
  return { decoded: keyIdFacts(value), confidence: facts.accountId ? 'high' : 'medium', ...(facts.prefix === 'ASIA' ? { severity: 'low' as const } : {}) };
};

// ------------------------------------------------------------------ Google Cloud

export const gcpServiceAccountValidator: Validator = (value, ctx) => {
  const pem = pemValidator(value, ctx);
  if (!pem) return null;
  const around = ctx.text.slice(lineOffsetBefore(ctx.text, ctx.matchStart, 20), lineOffsetAfter(ctx.text, ctx.matchEnd, 20));
  if (!/"type"\s{0,3}:\s{0,3}"service_account"|gserviceaccount\.com/.test(around)) return null;
  const decoded: Record<string, string | number | boolean> = { ...pem.decoded };
  const email = /"client_email"\s{0,3}:\s{0,3}"([^"\s]{1,200})"/.exec(around);
  const project = /"project_id"\s{0,3}:\s{0,3}"([^"\s]{1,100})"/.exec(around);
  const keyId = /"private_key_id"\s{0,3}:\s{0,3}"([0-9a-f]{40})"/.exec(around);
  if (email) decoded.clientEmail = email[1]!;
  if (project) decoded.projectId = project[1]!;
  if (keyId) decoded.privateKeyId = keyId[1]!;
  return { confidence: 'high', decoded };
};

// ------------------------------------------------------------------ Azure

export const AZURE_KEY_88 = '[A-Za-z0-9+/]{86}==';

export const sasSignatureValidator: Validator = (value, ctx) => {
  if (!/[?&;]sv=\d{4}-\d{2}-\d{2}/.test(ctx.line) && !/\bsv=\d{4}-\d{2}-\d{2}/.test(ctx.line)) return null;
  const sig = decodeBase64(decodeURIComponent(value.replace(/%(?![0-9A-Fa-f]{2})/g, '%25')));
  if (!sig || sig.length !== 32) return null;
  const expiry = /[?&]se=([0-9TZ:%.-]{10,40})/.exec(ctx.line);
  return { confidence: 'high', ...(expiry ? { decoded: { expiresAt: decodeURIComponent(expiry[1]!) } } : {}) };
};

export const azureConnectionStringValidator: Validator = (v, ctx) =>
  base64Length(64)(v, ctx) ? { confidence: 'high', decoded: { accountName: ctx.match.groups!.account! } } : null;

export const azureSharedAccessKeyValidator: Validator = (v, ctx) =>
  base64Length(32)(v, ctx) ? { confidence: 'high', decoded: { keyName: ctx.match.groups!.keyName! } } : null;

const GUID_AFTER = (names: string) =>
  new RegExp(`(?:${names})["']?\\s{0,3}[:=]\\s{0,3}["']?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})`, 'i');
const CLIENT_ID_NEAR = GUID_AFTER('client[_-]?id|app[_-]?id|application[_-]?id|clientid|appid');
const TENANT_ID_NEAR = GUID_AFTER('tenant[_-]?id|tenantid|directory[_-]?id');

/**
 * Entra client secrets: Graph shows each secret's first three characters as its `hint`, and the client
 * (app) and tenant ids usually sit beside the secret (env files, appsettings, GitHub Actions
 * AZURE_CREDENTIALS). Decoded here, bounded to a few lines around the match, so the leak can be matched
 * to its application (src/entra/leaks.ts). None of these is secret.
 */
export const entraClientSecretContext: Validator = (value, ctx) => {
  const around = ctx.text.slice(Math.max(0, ctx.matchStart - 600), Math.min(ctx.text.length, ctx.matchEnd + 600));
  const clientId = CLIENT_ID_NEAR.exec(around)?.[1];
  const tenantId = TENANT_ID_NEAR.exec(around)?.[1];
  return {
    decoded: { hint: value.slice(0, 3), ...(clientId ? { clientId: clientId.toLowerCase() } : {}), ...(tenantId ? { tenantId: tenantId.toLowerCase() } : {}) },
  };
};
