import { describe, expect, it } from 'vitest';
import {
  builtinDetectorSetVersion,
  countDetectors,
  decodeAwsKeyId,
  detectors,
  isBinary,
  isBinaryText,
  scanBytes,
  scanText,
  SecretScanner,
  type DetectorDef,
} from '../../src/secrets/index.js';
import { detectorSetVersion } from '../../src/secrets/version.js';
import { secretHash } from '../../src/redact.js';
import * as f from '../../testkit/fake-tokens.js';
import { p, Rng } from '../../testkit/fake-tokens.js';

const rng = new Rng(7);
const ids = (text: string, path = 'config/app.env') => scanText(text, { path }).map((h) => h.detectorId);

describe('detector catalogue', () => {
  it('has at least 80 declarative detectors with unique ids, titles, providers and keywords', () => {
    expect(countDetectors()).toBeGreaterThanOrEqual(80);
    expect(new Set(detectors.map((d) => d.id)).size).toBe(detectors.length);
    for (const d of detectors) {
      expect(d.title, d.id).toBeTruthy();
      expect(d.provider, d.id).toBeTruthy();
      expect(d.keywords.length, d.id).toBeGreaterThan(0);
      for (const k of d.keywords) expect(/^[\x20-\x7e]+$/.test(k), `${d.id} keyword ${k}`).toBe(true);
    }
  });

  it('covers every credential type the issue lists', () => {
    const required = [
      'aws-access-key-pair',
      'aws-access-key-id',
      'aws-session-token',
      'github-pat-classic',
      'github-oauth-token',
      'github-user-to-server-token',
      'github-server-to-server-token',
      'github-refresh-token',
      'github-pat-fine-grained',
      'gitlab-pat',
      'slack-bot-token',
      'slack-user-token',
      'slack-app-token',
      'slack-webhook-url',
      'stripe-live-secret-key',
      'twilio-api-key',
      'sendgrid-api-key',
      'npm-access-token',
      'pypi-api-token',
      'openai-api-key',
      'anthropic-api-key',
      'google-api-key',
      'gcp-service-account-key',
      'azure-storage-account-key',
      'azure-storage-connection-string',
      'azure-ad-client-secret',
      'azure-sas-token',
      'private-key-rsa',
      'private-key-ec',
      'private-key-dsa',
      'private-key-pkcs8',
      'private-key-pkcs8-encrypted',
      'private-key-openssh',
      'jwt',
      'postgres-url-password',
      'mysql-url-password',
      'mongodb-url-password',
      'redis-url-password',
      'amqp-url-password',
      'url-basic-auth',
      'docker-registry-auth',
      'kubernetes-secret-manifest',
      'kubeconfig-token',
      'terraform-cloud-token',
      'vault-service-token',
      'datadog-api-key',
      'heroku-api-key-v2',
      'shopify-access-token',
      'mailgun-api-key',
      'mailchimp-api-key',
      'okta-api-token',
      'atlassian-api-token',
      'digitalocean-pat',
      'generic-password',
      'generic-secret',
      'generic-token',
      'generic-api-key',
      'generic-client-secret',
    ];
    const have = new Set(detectors.map((d) => d.id));
    expect(required.filter((id) => !have.has(id))).toEqual([]);
  });

  it('bounds every quantifier in every pattern (no *, + or {n,} outside character classes)', () => {
    const offenders: string[] = [];
    for (const d of detectors) {
      const stripped = d.pattern.source.replace(/\\./g, 'x').replace(/\[[^\]]*\]/g, 'C');
      if (/[*+]|\{\d+,\}/.test(stripped)) offenders.push(`${d.id}: ${d.pattern.source}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the built-in detector set version is derived from the definitions and changes when one changes', () => {
    expect(builtinDetectorSetVersion()).toMatch(/^\d+\.\d+\.[0-9a-f]{16}$/);
    expect(detectorSetVersion(detectors)).toBe(builtinDetectorSetVersion());
    const tweaked: DetectorDef[] = detectors.map((d) => (d.id === 'github-pat-classic' ? { ...d, severity: 'critical' } : d));
    expect(detectorSetVersion(tweaked)).not.toBe(builtinDetectorSetVersion());
    const widened: DetectorDef[] = detectors.map((d) =>
      d.id === 'jwt' ? { ...d, pattern: new RegExp(d.pattern.source.replace('{16,2048}', '{8,2048}')) } : d,
    );
    expect(detectorSetVersion(widened)).not.toBe(builtinDetectorSetVersion());
    expect(detectorSetVersion(detectors.slice(1))).not.toBe(builtinDetectorSetVersion());
  });
});

describe('AWS', () => {
  it('decodes the account id from key ids minted with it', () => {
    for (let i = 0; i < 50; i++) {
      const account = String(rng.int(1e12)).padStart(12, '0');
      expect(decodeAwsKeyId(f.fakeAwsAccessKeyId(account, rng))?.accountId).toBe(account);
    }
  });

  it('reports a key id + secret pair once, valued by the secret, with accessKeyId and awsAccountId', () => {
    const { text, keyId, secret } = f.fakeAwsCredentialsFile('111122223333', rng);
    const hits = scanText(text, { path: '.aws/credentials' });
    expect(hits.map((h) => h.detectorId)).toEqual(['aws-access-key-pair']);
    expect(hits[0]!.value).toBe(secret);
    expect(hits[0]!.severity).toBe('critical');
    expect(hits[0]!.decoded).toMatchObject({ accessKeyId: keyId, awsAccountId: '111122223333' });
    expect(hits[0]!.line).toBe(3);
  });

  it('pairs environment-style assignments and each profile with its own key id', () => {
    const a = f.fakeAwsCredentialsFile('111111111111', rng);
    const b = f.fakeAwsCredentialsFile('222222222222', rng);
    const hits = scanText(`${a.text}\n[prod]\n${b.text.split('\n').slice(1).join('\n')}`, { path: '.aws/credentials' });
    expect(hits.map((h) => [h.detectorId, h.decoded?.accessKeyId])).toEqual([
      ['aws-access-key-pair', a.keyId],
      ['aws-access-key-pair', b.keyId],
    ]);
    const keyId = f.fakeAwsAccessKeyId('444455556666', rng);
    const secret = f.fakeAwsSecretAccessKey(rng);
    const env = scanText(`AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${secret}\n`, { path: '.env' });
    expect(env.map((h) => [h.detectorId, h.value, h.decoded?.accessKeyId])).toEqual([['aws-access-key-pair', secret, keyId]]);
  });

  it('reports a lone key id at medium severity (value = key id) and a lone named secret without an id', () => {
    const keyId = f.fakeAwsAccessKeyId('777788889999', rng);
    const [lone] = scanText(`deploy user: ${keyId}\n`, { path: 'notes.txt' });
    expect(lone).toMatchObject({
      detectorId: 'aws-access-key-id',
      value: keyId,
      severity: 'medium',
      decoded: { accessKeyId: keyId, awsAccountId: '777788889999' },
    });
    const temp = f.fakeAwsAccessKeyId('777788889999', rng, { temporary: true });
    expect(scanText(`id ${temp}\n`)[0]).toMatchObject({ severity: 'low' });
    const secret = f.fakeAwsSecretAccessKey(rng);
    const [s] = scanText(`aws_secret_access_key: ${secret}\n`, { path: 'ci.yml' });
    expect(s).toMatchObject({ detectorId: 'aws-secret-access-key', value: secret });
    expect(s!.decoded?.accessKeyId).toBeUndefined();
    expect(scanText(`checksum ${secret}\n`)).toEqual([]); // 40 chars of base64 with no AWS context
  });

  it('rejects the AWS documentation example keys', () => {
    expect(ids(`aws_access_key_id=${f.AWS_DOC_KEY_ID}\naws_secret_access_key=${f.AWS_DOC_SECRET}\n`)).toEqual([]);
    expect(ids(`key ${f.AWS_DOC_KEY_ID}`)).toEqual([]);
  });
});

describe('structural validation', () => {
  it('GitHub and npm tokens need a valid CRC32 checksum; a wrong one is not resurrected by generic rules', () => {
    for (const kind of ['p', 'o', 'u', 's', 'r'] as const) expect(ids(`token=${f.fakeGithubToken(kind, rng)}`)).toHaveLength(1);
    expect(ids(`GITHUB_TOKEN=${f.fakeGithubPatBadChecksum(rng)}`)).toEqual([]);
    expect(ids(`NPM_TOKEN=${f.fakeNpmToken(rng)}`)).toEqual(['npm-access-token']);
    expect(ids(`NPM_TOKEN=${f.fakeNpmTokenBadChecksum(rng)}`)).toEqual([]);
    expect(scanText(`x ${f.fakeGithubClassicPat(rng)}`)[0]).toMatchObject({ confidence: 'high', identityKind: 'github-user' });
  });

  it('PyPI tokens need a macaroon header with a PyPI location', () => {
    expect(scanText(`password = ${f.fakePypiToken(rng)}`, { path: '.pypirc' })[0]).toMatchObject({
      detectorId: 'pypi-api-token',
      decoded: { location: 'pypi.org' },
    });
    expect(scanText(`password = ${f.fakePypiToken(rng, 'test.pypi.org')}`, { path: '.pypirc' })[0]).toMatchObject({
      severity: 'low',
      decoded: { location: 'test.pypi.org' },
    });
    expect(ids(`PYPI=${p('py', 'pi-', 'AgE')}${rng.chars(f.ALNUM, 80)}`)).toEqual([]);
  });

  it('private keys must parse; encrypted ones are reported at low severity', () => {
    const plain = scanText(f.fakeRsaPrivateKeyPem(), { path: 'id_rsa' });
    expect(plain[0]).toMatchObject({
      detectorId: 'private-key-rsa',
      severity: 'high',
      confidence: 'high',
      decoded: { encrypted: false, keyType: 'rsa', bits: 1024 },
    });
    expect(scanText(f.fakePemPrivateKey('rsa-pkcs8-encrypted'))[0]).toMatchObject({
      detectorId: 'private-key-pkcs8-encrypted',
      severity: 'low',
      decoded: { encrypted: true },
    });
    expect(scanText(f.fakeLegacyEncryptedRsaPem())[0]).toMatchObject({ detectorId: 'private-key-rsa', severity: 'low', decoded: { encrypted: true } });
    expect(scanText(f.fakeOpenSshPrivateKey())[0]).toMatchObject({
      detectorId: 'private-key-openssh',
      severity: 'high',
      decoded: { encrypted: false, keyType: 'ssh-ed25519' },
    });
    expect(scanText(f.fakeOpenSshPrivateKey({ encrypted: true }))[0]).toMatchObject({ severity: 'low', decoded: { encrypted: true } });
    const corrupt = f
      .fakeRsaPrivateKeyPem()
      .replace(/\n[A-Za-z0-9+/]{64}\n/, '\n' + 'Q'.repeat(64) + '\n')
      .replace('MII', 'QII');
    expect(ids(corrupt)).toEqual([]);
  });

  it('JWTs decode; exp and iss are recorded; alg none is ignored', () => {
    const jwt = f.fakeJwt({ exp: 1_600_000_000 }, rng);
    expect(scanText(`Authorization: Bearer ${jwt}`)[0]).toMatchObject({
      detectorId: 'jwt',
      value: jwt,
      decoded: { alg: 'HS256', exp: 1_600_000_000, iss: 'https://auth.internal' },
    });
  });

  it('GCP service-account JSON is one critical hit with the client email', () => {
    const { json, email } = f.fakeGcpServiceAccountJson(rng);
    const hits = scanText(json, { path: 'sa.json' });
    expect(hits.map((h) => h.detectorId)).toEqual(['gcp-service-account-key']);
    expect(hits[0]).toMatchObject({ severity: 'critical', decoded: { clientEmail: email, projectId: 'acme-prod' } });
  });

  it('Kubernetes Secret data values are reported decoded; metadata and usernames are not', () => {
    const { text, password } = f.fakeKubernetesSecret(rng);
    const hits = scanText(text, { path: 'k8s/secret.yaml' });
    expect(hits.map((h) => [h.detectorId, h.value, h.decoded?.key])).toEqual([['kubernetes-secret-manifest', password, 'password']]);
    expect(ids(text.replace('kind: Secret', 'kind: ConfigMap'), 'k8s/cm.yaml')).not.toContain('kubernetes-secret-manifest');
  });

  it('passwords in URLs are the value; hosts and users are decoded; localhost is low', () => {
    const { url, password } = f.fakePostgresUrl(rng);
    expect(scanText(`DATABASE_URL=${url}`)[0]).toMatchObject({
      detectorId: 'postgres-url-password',
      value: password,
      decoded: { username: 'svc_app', host: 'db-prod.internal:5432' },
    });
    expect(scanText(`DATABASE_URL=${p('post', 'gres')}://app:${password}@localhost:5432/app`)[0]).toMatchObject({ severity: 'low' });
  });
});

describe('generic secrets', () => {
  const pw = () => f.fakePassword(rng, 16);
  it('finds assignments across syntaxes', () => {
    const cases: Array<[string, string]> = [
      [`db_password: "${pw()}"`, 'config.yaml'],
      [`DB_PASSWORD=${pw()}`, '.env'],
      [`"clientSecret": "${rng.chars(f.ALNUM, 32)}"`, 'app.json'],
      [`$password = '${pw()}';`, 'index.php'],
      [`define('DB_PASSWORD', '${pw()}');`, 'wp-config.php'],
      [`apiKey := "${rng.chars(f.ALNUM, 32)}"`, 'main.go'],
      [`--password=${pw()}`, 'run.sh'],
      [`spring.datasource.password=${pw()}`, 'application.properties'],
      [`:secret_key_base => "${rng.chars(f.HEXCHARS, 20)}xYz${rng.chars(f.ALNUM, 20)}"`, 'secrets.rb'],
    ];
    for (const [text, path] of cases) expect(ids(text, path), text.replace(/[=:].*/, '')).toHaveLength(1);
  });

  it('lowers confidence and severity in tests, fixtures and docs, and skips lock files', () => {
    const text = `password = "${pw()}"`;
    expect(scanText(text, { path: 'src/db.py' })[0]).toMatchObject({ severity: 'medium', confidence: 'medium' });
    expect(scanText(text, { path: 'tests/test_db.py' })[0]).toMatchObject({ severity: 'low', confidence: 'low' });
    expect(scanText(text, { path: 'README.md' })[0]).toMatchObject({ confidence: 'low' });
    expect(scanText(text, { path: 'poetry.lock' })).toEqual([]);
  });

  it('rejects weak, placeholder, templated, hashed and code values', () => {
    const negatives = [
      'password = "hunter"',
      'password = "aaaaaaaaaa"',
      'password = "12345678"',
      'token = "${TOKEN}"',
      'secret: {{ .Values.secret }}',
      'api_key = "<your-api-key>"',
      'password = "xxxxxxxxxxxx"',
      `md5_password_hash = "${rng.chars(f.HEXCHARS, 32)}"`,
      'password: "Enter your password here"',
      `secret = "${rng.chars(f.HEXCHARS, 64)}"`,
      'token = self.get_token()',
      'password: null',
      'password = None',
      'auth_token: true',
      // Real-world look-alikes seen in 40 MB of node_modules:
      'Password: "STRING_VALUE", // required',
      'AccountAccessKeysPresent: "AccountAccessKeysPresent",',
      'PasswordLastUsed: "2016-09-08T21:48:00Z"',
      'MSI_SECRET_HEADER = "X-IDENTITY-HEADER"',
      'encryptionKey: "msal.cache.encryption"',
      'ACQUIRE_TOKEN_START: "msal:acquireTokenStart"',
      'challengePassword: "1.2.840.113549.1.9.7"',
      'token = "\'+e.toString(16)+\'"',
      'token: "usertoken123"',
      'clientSecret: "VERYLONGSECRETSTRING"',
    ];
    for (const n of negatives) expect(ids(n, 'config/settings.py'), n).toEqual([]);
  });
});

describe('vendored, bundled and minified code', () => {
  const pw = () => f.fakePassword(rng, 16);
  // Minified code around a value: one line of 1,500+ characters, as bundlers write it.
  const minified = (middle: string) => `!function(e){${'var a=e.b,c=e.d;'.repeat(50)}${middle}${'e.f=c(a);'.repeat(50)}}(window);\n`;

  it('generic detectors skip vendored dependencies, virtualenvs, bundles and bundler output; the same line in own code is found', () => {
    const text = `db_password = "${pw()}"\n`;
    expect(ids(text, 'src/settings.py')).toEqual(['generic-password']);
    for (const path of [
      'web/node_modules/pkg/lib/config.js',
      'myenv/lib/python3.12/site-packages/flasgger/settings.py',
      'venv/lib/python3.12/site-packages/pip/_vendor/distlib/compat.py',
      'vendor/github.com/acme/lib/conf.go',
      'third_party/zlib/config.py',
      'deps/hiredis/test.sh',
      'static/swagger-ui.min.js',
      'static/swagger-ui-bundle.js',
      'dist/main.3f2a9c1b.js',
      'static/js/app.js.map',
    ])
      expect(ids(text, path), path).toEqual([]);
    expect(ids(`/******/ (() => { var __webpack_modules__ = {}; function __webpack_require__(id) {}\n${text}`, 'public/app.js')).toEqual([]);
  });

  it('generic detectors skip minified lines of scripts and pages, not long lines of config files', () => {
    const value = pw();
    const line = minified(`g.password="${value}",`);
    expect(line.length).toBeGreaterThan(1000);
    expect(ids(line, 'static/swagger-ui.js')).toEqual([]);
    expect(ids(`g.password="${value}";\n`, 'static/swagger-ui.js')).toEqual(['generic-password']);
    expect(ids(`{${'"name":"svc","port":8080,'.repeat(60)}"password":"${value}"}\n`, 'config/app.json')).toEqual(['generic-password']);
  });

  it('structured tokens are still found in vendored, bundled and minified code', () => {
    const token = f.fakeGithubClassicPat(rng);
    for (const path of ['web/node_modules/pkg/index.js', 'static/app.min.js', 'venv/lib/python3.12/site-packages/x/conf.py'])
      expect(ids(`GITHUB_TOKEN = "${token}"\n`, path), path).toEqual(['github-pat-classic']);
    expect(ids(minified(`headers:{Authorization:"token ${token}"},`), 'static/app.js')).toEqual(['github-pat-classic']);
  });

  it('scanBytes decides bundler output for the whole file, as scanText does, also past the first segment', () => {
    const text = `var __webpack_require__ = {};\n${'// filler line of a large bundle\n'.repeat(8000)}db_password = "${pw()}"\n`;
    expect(text.length).toBeGreaterThan(200_000);
    expect(scanText(text, { path: 'public/app.js' })).toEqual([]);
    expect(scanBytes(Buffer.from(text), { path: 'public/app.js' }).hits).toEqual([]);
    const own = text.replace('__webpack_require__', 'requireModule');
    expect(scanBytes(Buffer.from(own), { path: 'public/app.js' }).hits.map((h) => h.detectorId)).toEqual(['generic-password']);
  });

  it('every bundler marker makes a file bundler output for scanBytes, and a mere mention of webpack does not', () => {
    const body = (marker: string) => `var ${marker} = {};\nconst db_password = "${pw()}";\n`;
    for (const marker of ['__webpack_require__', 'webpackJsonp', 'webpackChunk', 'parcelRequire'])
      expect(scanBytes(Buffer.from(body(marker)), { path: 'public/app.js' }).hits, marker).toEqual([]);
    expect(scanBytes(Buffer.from(body('webpackConfig')), { path: 'public/app.js' }).hits.map((h) => h.detectorId)).toEqual(['generic-password']);
  });

  it('a large file is bundler output by the same markers, read off its keyword hits: anywhere, case and all', () => {
    const filler = '// filler line of a large file\n'.repeat(5000);
    const large = (before: string, after: string) => Buffer.from(`${before}\n${filler}const db_password = "${pw()}";\n${filler}${after}`);
    const detectors = (bytes: Buffer) => scanBytes(bytes, { path: 'public/app.js' }).hits.map((h) => h.detectorId);
    expect(large('', '').length).toBeGreaterThan(300_000);
    for (const marker of ['__webpack_require__', 'webpackJsonp', 'webpackChunk', 'parcelRequire']) {
      expect(detectors(large(`var ${marker} = {};`, '')), `${marker} first`).toEqual([]);
      expect(detectors(large('', `${marker}(1)`)), `${marker} last`).toEqual([]);
    }
    for (const mention of ['WEBPACK_REQUIRE', '__webpack_Require__', 'webpackConfig', 'parcelrequire', 'ParcelRequire'])
      expect(detectors(large(`var ${mention} = {};`, mention)), mention).toEqual(['generic-password']);
  });
});

describe('null literals and documented example values', () => {
  it('a null or boolean literal is never a password, also before a comma, parenthesis or colon', () => {
    for (const text of [
      "    def __init__(self, host='localhost', port=6379, password=None,\n",
      'def setdefaultproxy(proxytype=None,addr=None,port=None,rdns=True,username=None,password=None):\n',
      'Server=db.internal;Database=app;User Id=svc;Password=null;\n',
      'connect(host: "db", password: nil)\n',
      'const options = { host: "db", password: undefined, port: 5432 };\n',
      'g.host=g.hostname,g.username=g.password="",g.auth&&(l=g.auth.split(":"),g.username=l[0]||"",g.password=l[1]||"")\n',
    ])
      expect(ids(text, 'lib/client.py'), text).toEqual([]);
  });

  it('the example tokens of RFC 6749, 6750 and 5849 are placeholders', () => {
    const text = [
      '{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"example","refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA"}',
      'access_token = "mF_9.B5f-4.1JqM"',
      'client_secret = "7Fjfp0ZBr1KtDRbnfVdmIw"',
      'oauth_token="kkk9d7dh3k39sjv7", oauth_consumer_key="9djdj82h48djs9d2"',
      'oauth_token="ad180jjd733klru7", oauth_token_secret="pfkkdhi9sl3r4s00"',
      'https://client.example.com/cb#access_token=2YotnFZFEjr1zCsicMWpAA&state=xyz',
    ].join('\n');
    expect(scanText(text, { path: 'oauthlib/oauth2/parameters.py' })).toEqual([]);
    // A value of the same shape that is not a documented example is still found.
    const random = `${rng.chars(f.ALNUM, 18)}4Kq9`;
    expect(ids(`access_token = "${random}"\n`, 'oauthlib/oauth2/parameters.py'), random).toEqual(['generic-token']);
  });
});

describe('ignores and allowlists', () => {
  const token = () => f.fakeGithubClassicPat(rng);
  it('honours nhiscan:ignore, gitleaks:allow, pragma: allowlist secret and next-line markers', () => {
    expect(ids(`t = "${token()}" # nhiscan:ignore`)).toEqual([]);
    expect(ids(`t = "${token()}" // gitleaks:allow`)).toEqual([]);
    expect(ids(`t = "${token()}"  # pragma: allowlist secret`)).toEqual([]);
    expect(ids(`# nhiscan:ignore-next-line\nt = "${token()}"`)).toEqual([]);
    expect(ids(`# nhiscan:ignore-next-line\n\nt = "${token()}"`)).toEqual(['github-pat-classic']);
    expect(ids(`t = "${token()}"\n# nhiscan:ignore`)).toEqual(['github-pat-classic']);
    const pem = f.fakeRsaPrivateKeyPem().trimEnd();
    expect(ids(`${pem} nhiscan:ignore\n`)).toEqual([]);
  });

  it('allowlists by path glob, detector id and secret hash', () => {
    const t = token();
    const text = `A=${t}\nB=${f.fakeSlackBotToken(rng)}\n`;
    expect(scanText(text, { path: 'test/fixtures/a.env', allowlist: { paths: ['**/fixtures/**'] } })).toEqual([]);
    expect(scanText(text, { path: './test/fixtures/a.env', allowlist: { paths: ['test/**'] } })).toEqual([]);
    expect(scanText(text, { path: 'src/a.env', allowlist: { paths: ['test/**'] } })).toHaveLength(2);
    expect(scanText(text, { allowlist: { detectors: ['slack-bot-token'] } }).map((h) => h.detectorId)).toEqual(['github-pat-classic']);
    expect(scanText(text, { allowlist: { hashes: [secretHash(t)] } }).map((h) => h.detectorId)).toEqual(['slack-bot-token']);
  });

  it('does not let an allowlisted or ignored secret come back under a generic (or less specific) detector', () => {
    const keyId = f.fakeAwsAccessKeyId('444455556666', rng);
    const secret = f.fakeAwsSecretAccessKey(rng);
    for (const text of [`aws_access_key_id = ${keyId}\naws_secret_access_key = ${secret}\n`, `{"accessKeyId": "${keyId}", "secretKey": "${secret}"}`]) {
      expect(ids(text, 'deploy/ci.env')).toEqual(['aws-access-key-pair']);
      expect(scanText(text, { path: 'deploy/ci.env', allowlist: { detectors: ['aws-access-key-pair'] } })).toEqual([]);
    }
    // A Kubernetes Secret reports the decoded plaintext; the base64 form must not resurface as generic-password.
    const k8s = f.fakeKubernetesSecret(rng);
    expect(ids(k8s.text, 'k8s/secret.yaml')).toEqual(['kubernetes-secret-manifest']);
    expect(scanText(k8s.text, { path: 'k8s/secret.yaml', allowlist: { hashes: [secretHash(k8s.password)] } })).toEqual([]);
    expect(scanText(k8s.text, { path: 'k8s/secret.yaml', allowlist: { detectors: ['kubernetes-secret-manifest'] } })).toEqual([]);
    // The private key inside an allowlisted service-account JSON is the same secret.
    const sa = f.fakeGcpServiceAccountJson(rng);
    expect(ids(sa.json, 'sa.json')).toEqual(['gcp-service-account-key']);
    expect(scanText(sa.json, { path: 'sa.json', allowlist: { detectors: ['gcp-service-account-key'] } })).toEqual([]);
    // Allowlisting the generic detector itself still lets the specific one report.
    expect(scanText(k8s.text, { path: 'k8s/secret.yaml', allowlist: { detectors: ['generic-password'] } }).map((h) => h.detectorId)).toEqual([
      'kubernetes-secret-manifest',
    ]);
  });
});

describe('engine mechanics', () => {
  it('reports 1-based line and column of the value', () => {
    const t = f.fakeSlackBotToken(rng);
    expect(scanText(`a\nbb\n  slack: "${t}"\n`)[0]).toMatchObject({ line: 3, column: 11, value: t });
  });

  it('keeps the most specific detector when hits overlap', () => {
    const t = f.fakeGithubClassicPat(rng);
    expect(ids(`https://x-access-token:${t}@github.com/acme/repo.git`)).toEqual(['github-pat-classic']);
    expect(ids(`api_token = "${f.fakeJwt({}, rng)}"`)).toEqual(['jwt']);
  });

  it('finds a token far along a huge minified line (windows follow keywords, not line starts)', () => {
    const t = f.fakeStripeLiveKey(rng);
    const line = 'var a=1;'.repeat(400_000) + `k="${t}";` + 'var b=2;'.repeat(1000);
    expect(scanText(line, { path: 'dist/app.min.js' })).toMatchObject([{ detectorId: 'stripe-live-secret-key', value: t, line: 1, column: 3_200_004 }]);
  });

  it('a custom scanner runs only its own detectors', () => {
    const only = new SecretScanner(detectors.filter((d) => d.id === 'slack-bot-token'));
    expect(only.scan(`${f.fakeGithubClassicPat(rng)} ${f.fakeSlackBotToken(rng)}`).map((h) => h.detectorId)).toEqual(['slack-bot-token']);
  });

  it('detects binary content by a NUL byte in the first 8000 bytes', () => {
    expect(isBinary(Buffer.from('hello\0world'))).toBe(true);
    expect(isBinary(Buffer.from('plain text\n'))).toBe(false);
    expect(isBinary(Buffer.concat([Buffer.alloc(9000, 65), Buffer.from([0])]))).toBe(false);
    expect(isBinaryText('a\0b')).toBe(true);
  });
});

describe('PuTTY keys', () => {
  it('reports the private lines of an unencrypted .ppk and rejects a truncated one', () => {
    const rng2 = new Rng(11);
    const priv = Array.from({ length: 3 }, () => rng2.chars(f.ALNUM + '+/', 64));
    const ppk = [
      'PuTTY-User-Key-File-2: ssh-rsa',
      'Encryption: none',
      'Comment: deploy',
      'Public-Lines: 1',
      rng2.chars(f.ALNUM, 60),
      'Private-Lines: 3',
      ...priv,
      `Private-MAC: ${rng2.chars(f.HEXCHARS, 40)}`,
    ].join('\n');
    expect(scanText(ppk, { path: 'deploy.ppk' })[0]).toMatchObject({ detectorId: 'private-key-putty', value: priv.join('\n'), decoded: { encrypted: false } });
    expect(ids(ppk.replace(/Private-Lines: 3[\s\S]*/, 'Private-Lines: 3\n'), 'deploy.ppk')).toEqual([]);
  });
});
