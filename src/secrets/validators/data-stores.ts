/**
 * Validators of credentials embedded in URLs, connection strings and infrastructure manifests
 * (docker config, Kubernetes Secrets, kubeconfig, .netrc).
 */
import type { Validator, Verdict } from '../detector.js';
import { decodeBase64, isPlaceholder, isPrintableUtf8, isTemplateReference, shannonEntropy } from '../value-checks.js';
import { inspectPemPrivateKey } from '../structure.js';
import { contextHas, decodeUserPasswordPair, lineOffsetAfter } from './common.js';

/** Passwords that ship as defaults with the software: a finding, but hardly a leak of anything unique. */
const DEFAULT_PASSWORDS = new Set([
  'postgres',
  'mysql',
  'mongo',
  'mongodb',
  'redis',
  'rabbitmq',
  'guest',
  'admin',
  'root',
  'sa',
  'pass',
  'password',
  'secret',
  'user',
  'test',
]);
/** A default password, or default passwords joined by separators (`pass pass`, `pass#pass`, `admin:admin`): a stand-in. */
function isDefaultPassword(password: string): boolean {
  const words = password.toLowerCase().split(/[^a-z0-9]{1,3}/);
  return words.every((word) => DEFAULT_PASSWORDS.has(word));
}
const LOCAL_HOST = /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|0\.0\.0\.0|\[?::1\]?|host\.docker\.internal)(?::\d{1,5})?$/i;

/** Shared checks for a password found inside a URL or connection string. */
export function urlPasswordVerdict(password: string, username: string | undefined, host: string | undefined): Verdict | null {
  let decodedPassword = password;
  try {
    decodedPassword = decodeURIComponent(password);
  } catch {
    /* keep raw */
  }
  if (decodedPassword.length < 3 || isPlaceholder(decodedPassword) || isTemplateReference(password) || isTemplateReference(decodedPassword)) return null;
  if (isDefaultPassword(decodedPassword) || decodedPassword === username || decodedPassword === safeDecode(username ?? '')) return null;
  if (/^(?:machine|login|password|account|macdef|default)$/i.test(decodedPassword)) return null; // .netrc keywords
  if (/^[*x•.]+$/i.test(decodedPassword) || /^\$[A-Za-z_{(]/.test(password) || /^%[A-Za-z_]/.test(password)) return null;
  const decoded: Record<string, string> = {};
  if (username) decoded.username = username;
  if (host) decoded.host = host;
  if (host && LOCAL_HOST.test(host)) return { severity: 'low', confidence: 'medium', decoded };
  return { confidence: shannonEntropy(decodedPassword) >= 3 ? 'high' : 'medium', decoded };
}

export const urlValidator: Validator = (value, ctx) => {
  const g = ctx.match.groups ?? {};
  if (g.host && /(?:^|\.)example\.(?:com|org|net)$|^(?:host|hostname|server|your[\w-]*)$/i.test(g.host)) return null;
  return urlPasswordVerdict(value, g.user || undefined, g.host);
};

/** Kubernetes Secret `data:` / `stringData:` entries; the reported value is the plaintext. */
const NON_SECRET_KEYS =
  /^(?:user(?:name)?|login|host(?:name)?|port|database|db|dbname|endpoint|region|namespace|name|email|ca\.crt|tls\.crt|ca-bundle\.crt|service-ca\.crt|url|uri|server)$/i;

export const k8sSecretValidator: Validator = (value, ctx) => {
  const key = ctx.match.groups?.key ?? '';
  if (NON_SECRET_KEYS.test(key)) return null;
  const before = ctx.text.slice(Math.max(0, ctx.matchStart - 4096), ctx.matchStart);
  const after = ctx.text.slice(ctx.matchEnd, Math.min(ctx.text.length, ctx.matchEnd + 4096));
  // The document this entry belongs to: from the last `---` above to the next below.
  const docStart = before.lastIndexOf('\n---');
  const docEnd = after.indexOf('\n---');
  const doc = (docStart >= 0 ? before.slice(docStart + 4) : before) + (docEnd >= 0 ? after.slice(0, docEnd) : after);
  if (!/^kind:[ \t]{0,4}["']?Secret["']?[ \t]{0,16}$/m.test(doc)) return null;
  // Section: the last column-0 key above the entry.
  const sections = [...before.matchAll(/^([A-Za-z][\w-]{0,40}):[ \t]*$/gm)];
  const section = sections[sections.length - 1]?.[1];
  let plain: string;
  if (section === 'data') {
    const bytes = decodeBase64(value);
    if (!bytes || bytes.length < 4 || !isPrintableUtf8(bytes)) return null;
    plain = bytes.toString('utf8').replace(/\r?\n$/, '');
  } else if (section === 'stringData') {
    plain = value;
  } else return null;
  if (plain.length < 6 || isPlaceholder(plain) || isTemplateReference(plain)) return null;
  if (!plain.includes('PRIVATE KEY') && shannonEntropy(plain) < 2.5) return null;
  return { value: plain, decoded: { key, section }, confidence: shannonEntropy(plain) >= 3.5 ? 'high' : 'medium' };
};

export const kubeconfigTokenValidator: Validator = (value, ctx) => {
  const around = ctx.text.slice(Math.max(0, ctx.matchStart - 8192), lineOffsetAfter(ctx.text, ctx.matchEnd, 40));
  if (!/^(?:current-context|clusters|contexts):/m.test(around) && !/^kind:[ \t]{0,4}Config[ \t]{0,16}$/m.test(around)) return null;
  if (isPlaceholder(value) || isTemplateReference(value) || shannonEntropy(value) < 3.5) return null;
  return { confidence: value.startsWith('eyJ') ? 'high' : 'medium' };
};

export const kubeconfigClientKeyValidator: Validator = (value) => {
  const bytes = decodeBase64(value);
  if (!bytes) return null;
  const facts = inspectPemPrivateKey(bytes.toString('latin1'));
  if (!facts) return null;
  return { confidence: 'high', decoded: { encrypted: facts.encrypted, ...(facts.keyType ? { keyType: facts.keyType } : {}) } };
};

export const dockerAuthValidator: Validator = (value) => {
  const pair = decodeUserPasswordPair(value);
  return pair ? { confidence: 'high', decoded: { username: pair.username } } : null;
};

/** ADO.NET / ODBC `Password=` needs a server, host or database key on its line. */
export const connectionStringValidator: Validator = (v, ctx) =>
  contextHas(/(?:server|data source|host|address|addr|initial catalog|database|user id|uid|dsn|driver)[ \t]{0,2}=/i, 0)(v, ctx)
    ? urlPasswordVerdict(v, undefined, undefined)
    : null;

/** A password parameter with no user or host known. */
export const passwordValidator: Validator = (v) => urlPasswordVerdict(v, undefined, undefined);

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
