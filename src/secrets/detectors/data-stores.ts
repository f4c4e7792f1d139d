/**
 * Credentials embedded in URLs, connection strings and infrastructure manifests
 * (docker config, Kubernetes Secrets, kubeconfig, .netrc).
 */
import type { DetectorDef, Validator, Verdict } from '../detector.js';
import { decodeBase64, isPlaceholder, isPrintableUtf8, isTemplateReference, shannonEntropy } from '../value-checks.js';
import { inspectPemPrivateKey } from '../structure.js';
import { contextHas, lineOffsetAfter } from './helpers.js';

/** Passwords that ship as defaults with the software: a finding, but hardly a leak of anything unique. */
const DEFAULT_PASSWORDS = new Set(['postgres', 'mysql', 'mongo', 'mongodb', 'redis', 'rabbitmq', 'guest', 'admin', 'root', 'sa', 'pass', 'password', 'secret', 'user', 'test']);
const LOCAL_HOST = /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|0\.0\.0\.0|\[?::1\]?|host\.docker\.internal)(?::\d{1,5})?$/i;

/** Shared checks for a password found inside a URL or connection string. */
function urlPasswordVerdict(password: string, username: string | undefined, host: string | undefined): Verdict | null {
  let decodedPassword = password;
  try { decodedPassword = decodeURIComponent(password); } catch { /* keep raw */ }
  if (decodedPassword.length < 3 || isPlaceholder(decodedPassword) || isTemplateReference(password) || isTemplateReference(decodedPassword)) return null;
  if (DEFAULT_PASSWORDS.has(decodedPassword.toLowerCase()) || decodedPassword === username) return null;
  if (/^(?:machine|login|password|account|macdef|default)$/i.test(decodedPassword)) return null; // .netrc keywords
  if (/^[*x•.]+$/i.test(decodedPassword) || /^\$[A-Za-z_{(]/.test(password) || /^%[A-Za-z_]/.test(password)) return null;
  const decoded: Record<string, string> = {};
  if (username) decoded.username = username;
  if (host) decoded.host = host;
  if (host && LOCAL_HOST.test(host)) return { severity: 'low', confidence: 'medium', decoded };
  return { confidence: shannonEntropy(decodedPassword) >= 3 ? 'high' : 'medium', decoded };
}

const urlValidator: Validator = (value, ctx) => {
  const g = ctx.match.groups ?? {};
  if (g.host && /(?:^|\.)example\.(?:com|org|net)$|^(?:host|hostname|server|your[\w-]*)$/i.test(g.host)) return null;
  return urlPasswordVerdict(value, g.user || undefined, g.host);
};

/**
 * `scheme://user:password@host`. User and password classes exclude the delimiters that end them.
 * The keywords are the schemes with their `://`: a bare `redis` or `postgres` is everywhere in the code
 * of those projects and would open a window at every mention.
 */
function dbUrl(id: string, title: string, schemes: string[], keywords = schemes.map((s) => `${s.replace(/\\/g, '')}://`), identityKind = 'database-user'): DetectorDef {
  return {
    id, title, provider: 'database', family: 'url-credential', keywords, severity: 'high', identityKind, priority: 30, minEntropy: 0,
    pattern: new RegExp(`(?<![A-Za-z0-9+.-])(?:${schemes.join('|')})://(?<user>[^\\s:@/"'<>\`]{0,128}):(?<secret>[^\\s@/"'<>\`]{1,256})@(?<host>[A-Za-z0-9._\\-\\[\\]:%]{1,255})`, 'i'),
    validate: urlValidator,
  };
}

/** Kubernetes Secret `data:` / `stringData:` entries; the reported value is the plaintext. */
const NON_SECRET_KEYS = /^(?:user(?:name)?|login|host(?:name)?|port|database|db|dbname|endpoint|region|namespace|name|email|ca\.crt|tls\.crt|ca-bundle\.crt|service-ca\.crt|url|uri|server)$/i;

const k8sSecretValidator: Validator = (value, ctx) => {
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

const kubeconfigTokenValidator: Validator = (value, ctx) => {
  const around = ctx.text.slice(Math.max(0, ctx.matchStart - 8192), lineOffsetAfter(ctx.text, ctx.matchEnd, 40));
  if (!/^(?:current-context|clusters|contexts):/m.test(around) && !/^kind:[ \t]{0,4}Config[ \t]{0,16}$/m.test(around)) return null;
  if (isPlaceholder(value) || isTemplateReference(value) || shannonEntropy(value) < 3.5) return null;
  return { confidence: value.startsWith('eyJ') ? 'high' : 'medium' };
};

const kubeconfigClientKeyValidator: Validator = (value) => {
  const bytes = decodeBase64(value);
  if (!bytes) return null;
  const facts = inspectPemPrivateKey(bytes.toString('latin1'));
  if (!facts) return null;
  return { confidence: 'high', decoded: { encrypted: facts.encrypted, ...(facts.keyType ? { keyType: facts.keyType } : {}) } };
};

const dockerAuthValidator: Validator = (value) => {
  const bytes = decodeBase64(value);
  if (!bytes || !isPrintableUtf8(bytes)) return null;
  const text = bytes.toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) return null;
  const password = text.slice(colon + 1);
  if (isPlaceholder(password) || isTemplateReference(password)) return null;
  return { confidence: 'high', decoded: { username: text.slice(0, colon) } };
};

export const dataStoreDetectors: DetectorDef[] = [
  dbUrl('postgres-url-password', 'PostgreSQL connection URL with password', ['postgres', 'postgresql', 'postgis']),
  dbUrl('mysql-url-password', 'MySQL / MariaDB connection URL with password', ['mysql', 'mysql2', 'mysqlx', 'mariadb']),
  dbUrl('mongodb-url-password', 'MongoDB connection URL with password', ['mongodb', 'mongodb\\+srv']),
  dbUrl('redis-url-password', 'Redis connection URL with password', ['redis', 'rediss']),
  dbUrl('amqp-url-password', 'AMQP (RabbitMQ) connection URL with password', ['amqp', 'amqps']),
  dbUrl('mssql-url-password', 'SQL Server connection URL with password', ['mssql', 'sqlserver']),
  { ...dbUrl('url-basic-auth', 'URL with embedded username and password', ['https?', 'ftps?', 'sftp', 'ssh', 'git', 'ldaps?', 'smtps?', 'nats', 'mqtts?', 'kafka', 'neo4j', 'couchdb', 'clickhouse', 'snowflake'],
    ['http://', 'https://', 'ftp://', 'ftps://', 'sftp://', 'ssh://', 'git://', 'ldap://', 'ldaps://', 'smtp://', 'smtps://', 'nats://', 'mqtt://', 'mqtts://', 'kafka://', 'neo4j://', 'couchdb://', 'clickhouse://', 'snowflake://'], 'service-account'), priority: 20, severity: 'high' },
  {
    id: 'jdbc-url-password', title: 'JDBC URL with password parameter', provider: 'database', family: 'url-credential', keywords: ['jdbc:'],
    pattern: /jdbc:[a-z0-9]{2,20}:[^\s"'<>]{0,300}?[?&;]password=(?<secret>[^&;\s"'<>]{1,256})/i,
    validate: (v) => urlPasswordVerdict(v, undefined, undefined), severity: 'high', identityKind: 'database-user', priority: 30, minEntropy: 0,
  },
  {
    id: 'connection-string-password', title: 'Database connection string with password (ADO.NET / ODBC style)', provider: 'database', family: 'url-credential',
    keywords: ['password=', 'pwd='], pattern: /(?<![A-Za-z0-9_])(?:password|pwd)[ \t]{0,2}=[ \t]{0,2}(?<secret>[^;"'\s<>]{1,256})/i,
    validate: (v, ctx) => (contextHas(/(?:server|data source|host|address|addr|initial catalog|database|user id|uid|dsn|driver)[ \t]{0,2}=/i, 0)(v, ctx) ? urlPasswordVerdict(v, undefined, undefined) : null),
    severity: 'high', identityKind: 'database-user', priority: 25, minEntropy: 0,
  },
  {
    id: 'netrc-password', title: '.netrc machine password', provider: 'generic', family: 'url-credential', keywords: ['machine'],
    pattern: /machine\s{1,10}(?<host>[^\s]{1,255})\s{1,10}login\s{1,10}(?<user>[^\s]{1,255})\s{1,10}password\s{1,10}(?<secret>[^\s]{1,255})/,
    validate: urlValidator, severity: 'high', identityKind: 'service-account', window: { linesAfter: 2 }, priority: 30, minEntropy: 0,
  },
  {
    id: 'docker-registry-auth', title: 'Docker registry credentials (config.json auths)', provider: 'docker', family: 'manifest', keywords: ['"auth"'],
    pattern: /"auth"\s{0,3}:\s{0,3}"(?<secret>[A-Za-z0-9+/]{8,2048}={0,2})"/, validate: dockerAuthValidator,
    severity: 'high', identityKind: 'registry-user', priority: 45, minEntropy: 0,
  },
  {
    id: 'kubernetes-secret-manifest', title: 'Kubernetes Secret manifest value', provider: 'kubernetes', family: 'manifest', keywords: ['kind: secret', 'kind: "secret"', "kind: 'secret'"],
    pattern: /^[ \t]{1,8}(?<key>[A-Za-z0-9_.-]{1,253}):[ \t]{1,4}["']?(?<secret>[^\s"'#]{1,8192})["']?[ \t]{0,16}$/m, validate: k8sSecretValidator,
    severity: 'medium', identityKind: 'kubernetes-secret', window: { linesBefore: 80, linesAfter: 80, charsBefore: 8192, charsAfter: 8192 }, priority: 45, minEntropy: 0,
  },
  {
    id: 'kubeconfig-token', title: 'kubeconfig user token', provider: 'kubernetes', family: 'manifest', keywords: ['token:'],
    pattern: /^[ \t]{1,16}(?:token|id-token|refresh-token):[ \t]{1,4}["']?(?<secret>[A-Za-z0-9._~+/=-]{20,4096})["']?[ \t]{0,16}$/m, validate: kubeconfigTokenValidator,
    severity: 'high', identityKind: 'kubernetes-user', priority: 45, minEntropy: 0,
  },
  {
    id: 'kubeconfig-client-key', title: 'kubeconfig client private key (client-key-data)', provider: 'kubernetes', family: 'manifest', keywords: ['client-key-data'],
    pattern: /client-key-data:[ \t]{1,4}["']?(?<secret>[A-Za-z0-9+/]{100,16384}={0,2})/, validate: kubeconfigClientKeyValidator,
    severity: 'high', identityKind: 'kubernetes-user', window: { charsAfter: 20000 }, priority: 56, minEntropy: 0,
  },
];
