/**
 * Generic secrets: `name = value` assignments and config entries whose name says "secret" and whose
 * value looks like one. The scoring is in validators/generic.ts (thresholds in docs/secrets.md).
 */
import type { DetectorEntry } from '../detector.js';
import { LOCK_FILE } from '../paths.js';
import { entry, ref } from './patterns.js';

/** Characters of a name, and how far before the secret word a name may start. */
const NAME_CHARS = 'A-Za-z0-9_.-';
const NAME_REACH = 40;

/** `name<op>value` where op is `=`, `:`, `:=`, `=>` or `"name", "value"`. Value groups: quoted or bare. */
function assignment(names: string): RegExp {
  return new RegExp(
    `(?<![${NAME_CHARS}])(?<name>[${NAME_CHARS}]{0,${NAME_REACH}}?(?:${names})[${NAME_CHARS}]{0,30})["'\\]]{0,2}[ \\t]{0,4}(?:=>|:=|=|:|(?<=["'])[ \\t]{0,2},)(?![=>])[ \\t]{0,4}` +
      `(?:"(?<secretDq>[^"\\r\\n]{1,400})"|'(?<secretSq>[^'\\r\\n]{1,400})'|\`(?<secretBq>[^\`\\r\\n]{1,400})\`|(?<secretBare>[^\\s"'\`,;<>&]{1,400}))`,
    'i',
  );
}

function generic(
  id: string,
  title: string,
  names: string,
  keywords: string[],
  kind: 'password' | 'other',
  priority: number,
  examples: DetectorEntry['examples'],
): DetectorEntry {
  return entry({
    id,
    title,
    provider: 'generic',
    family: 'generic',
    keywords,
    pattern: assignment(names),
    validators: [kind === 'password' ? 'generic-password' : 'generic-other'],
    confidence: 'generic',
    severity: 'medium',
    priority,
    minEntropy: 0,
    excludePaths: LOCK_FILE,
    skipForeignCode: true,
    hitConfidence: 'medium',
    // A name starts at most NAME_REACH characters before its secret word: the regex runs only there.
    anchor: { runChars: NAME_CHARS, reach: NAME_REACH },
    keywordContext: { assignment: { nameChars: NAME_CHARS } },
    references: [ref.gitleaks('generic')],
    examples,
  });
}

export const genericDetectors: DetectorEntry[] = [
  generic(
    'generic-password',
    'Password in an assignment or config entry',
    'password|passwd|passphrase|pwd|(?<![a-z])pass(?![a-z])',
    ['pass', 'pwd'],
    'password',
    10,
    {
      positive: ['DB_PASSWORD="{password}"\n', 'smtp:\n  password: {password}\n'],
      negative: ['DB_PASSWORD="changeme"\n', 'password_hint = "{password}"\n', 'DB_PASSWORD=${DB_PASSWORD}\n'],
    },
  ),
  generic('generic-secret', 'Secret in an assignment or config entry', 'secret(?!ary)|credentials?', ['secret', 'credential'], 'other', 10, {
    positive: ['SESSION_SECRET="{alnum:32}"\n'],
    negative: ['SESSION_SECRET="your-secret-here"\n', 'secretary = "{alnum:32}"\n'],
  }),
  generic('generic-token', 'Token in an assignment or config entry', 'token', ['token'], 'other', 10, {
    positive: ['auth_token: "{alnum:40}"\n'],
    negative: ['max_tokens: 4096\n', 'token_type = "bearer"\n'],
  }),
  generic(
    'generic-api-key',
    'API / access key in an assignment or config entry',
    'api[_.-]?key|access[_.-]?key|auth[_.-]?key|master[_.-]?key|signing[_.-]?key|encryption[_.-]?key|secret[_.-]?key|private[_.-]?key',
    [
      'api_key',
      'apikey',
      'api-key',
      'api.key',
      'access_key',
      'accesskey',
      'access-key',
      'auth_key',
      'authkey',
      'master_key',
      'masterkey',
      'signing_key',
      'signingkey',
      'encryption_key',
      'encryptionkey',
      'secret_key',
      'secretkey',
      'private_key',
      'privatekey',
    ],
    'other',
    12,
    {
      positive: ['WIDGET_API_KEY="{alnum:32}"\n'],
      negative: ['api_key_name = "{alnum:32}"\n', 'api_key = "{hex:32}"\n'],
    },
  ),
  generic(
    'generic-client-secret',
    'OAuth client / app secret in an assignment or config entry',
    'client[_.-]?secret|app[_.-]?secret|consumer[_.-]?secret',
    ['client_secret', 'clientsecret', 'client-secret', 'app_secret', 'appsecret', 'consumer_secret', 'consumersecret'],
    'other',
    12,
    {
      positive: ['OAUTH_CLIENT_SECRET="{b64url:40}"\n'],
      negative: ['client_secret: "<client-secret>"\n'],
    },
  ),
];
