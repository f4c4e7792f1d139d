/**
 * The labelled corpus, built at test time from fake-tokens.ts: positives with valid structure in
 * realistic contexts, and hard negatives (documentation examples, placeholders, template references,
 * hashes, UUIDs, integrity hashes, wrong checksums, code expressions).
 */
import * as f from './fake-tokens.js';
import { p, Rng } from './fake-tokens.js';

export type CorpusFamily = 'structured-token' | 'cloud-key' | 'private-key' | 'jwt' | 'url-credential' | 'manifest' | 'generic';

export interface Sample {
  /** Family of the expected detector (positives) or of the look-alike (negatives). */
  family: CorpusFamily;
  label: string;
  path: string;
  text: string;
  /** Absent for negatives: no hit at all is expected. */
  expect?: { detectorId: string; value: string; decoded?: Record<string, unknown> };
}

/** Places `value` under `name` in one of several file formats, cycling by `i`. */
function inContext(name: string, value: string, i: number): { path: string; text: string } {
  const contexts: Array<{ path: string; text: string }> = [
    { path: 'config/.env', text: `# service config\nLOG_LEVEL=info\n${name.toUpperCase()}=${value}\nPORT=8080\n` },
    { path: 'config/settings.json', text: `{\n  "region": "eu-west-1",\n  "${name}": "${value}",\n  "retries": 3\n}\n` },
    { path: 'deploy/values.yaml', text: `service:\n  name: api\n  ${name}: ${value}\n  replicas: 2\n` },
    { path: 'src/client.js', text: `import { Client } from './client.js';\nconst ${name} = "${value}";\nexport const client = new Client(${name});\n` },
    { path: 'app/settings.py', text: `import os\n\n${name.toUpperCase()} = '${value}'\nDEBUG = False\n` },
    { path: 'scripts/deploy.sh', text: `#!/bin/sh\nset -eu\ncurl -sf -H "Authorization: Bearer ${value}" https://api.internal/v1/deploy\n` },
    { path: 'main.go', text: `package main\n\nvar ${name} = "${value}"\n` },
    { path: 'terraform/main.tf', text: `provider "thing" {\n  ${name} = "${value}"\n}\n` },
  ];
  return contexts[i % contexts.length]!;
}

export function buildCorpus(seed = 20240601): Sample[] {
  const rng = new Rng(seed);
  const out: Sample[] = [];
  const N = 8;

  const token = (family: CorpusFamily, detectorId: string, name: string, gen: () => string, n = N): void => {
    for (let i = 0; i < n; i++) {
      const value = gen();
      out.push({ family, label: detectorId, ...inContext(name, value, i), expect: { detectorId, value } });
    }
  };

  // ---------------- structured tokens
  token('structured-token', 'github-pat-classic', 'github_token', () => f.fakeGithubClassicPat(rng));
  token('structured-token', 'github-oauth-token', 'gh_oauth', () => f.fakeGithubToken('o', rng), 3);
  token('structured-token', 'github-user-to-server-token', 'gh_user_token', () => f.fakeGithubToken('u', rng), 3);
  token('structured-token', 'github-server-to-server-token', 'installation_token', () => f.fakeGithubToken('s', rng), 3);
  token('structured-token', 'github-refresh-token', 'refresh', () => f.fakeGithubToken('r', rng), 3);
  token('structured-token', 'github-pat-fine-grained', 'gh_pat', () => f.fakeGithubFineGrainedPat(rng));
  token('structured-token', 'npm-access-token', 'npm_token', () => f.fakeNpmToken(rng));
  token('structured-token', 'pypi-api-token', 'pypi_token', () => f.fakePypiToken(rng));
  token('structured-token', 'gitlab-pat', 'gitlab_token', () => f.fakeGitlabPat(rng));
  token('structured-token', 'slack-bot-token', 'slack_bot_token', () => f.fakeSlackBotToken(rng));
  token('structured-token', 'slack-user-token', 'slack_token', () => f.fakeSlackUserToken(rng), 4);
  token('structured-token', 'slack-app-token', 'slack_app_token', () => f.fakeSlackAppToken(rng), 4);
  token('structured-token', 'stripe-live-secret-key', 'stripe_key', () => f.fakeStripeLiveKey(rng));
  token('structured-token', 'stripe-test-secret-key', 'stripe_test', () => f.fakeStripeTestKey(rng), 4);
  token('structured-token', 'openai-api-key', 'openai_api_key', () => f.fakeOpenAiKey(rng));
  token('structured-token', 'anthropic-api-key', 'anthropic_api_key', () => f.fakeAnthropicKey(rng));
  token('structured-token', 'google-api-key', 'maps_key', () => f.fakeGoogleApiKey(rng));
  token('structured-token', 'google-oauth-client-secret', 'oauth_secret', () => f.fakeGcpOauthClientSecret(rng), 4);
  token('structured-token', 'sendgrid-api-key', 'sendgrid_key', () => f.fakeSendgridKey(rng));
  token('structured-token', 'twilio-api-key', 'twilio_api_key', () => f.fakeTwilioApiKey(rng), 4);
  token('structured-token', 'digitalocean-pat', 'do_token', () => f.fakeDigitalOceanPat(rng));
  token('structured-token', 'vault-service-token', 'vault_token', () => f.fakeVaultToken(rng));
  token('structured-token', 'terraform-cloud-token', 'tfc_token', () => f.fakeTerraformToken(rng));
  token('structured-token', 'shopify-access-token', 'shopify_token', () => f.fakeShopifyToken(rng));
  token('structured-token', 'mailgun-api-key', 'mailgun_api_key', () => f.fakeMailgunKey(rng), 4);
  token('structured-token', 'mailchimp-api-key', 'mc_key', () => f.fakeMailchimpKey(rng));
  token('structured-token', 'heroku-api-key-v2', 'heroku_key', () => f.fakeHerokuKey(rng));
  token('structured-token', 'atlassian-api-token', 'jira_token', () => f.fakeAtlassianToken(rng));
  token('structured-token', 'datadog-api-key', 'datadog_api_key', () => f.fakeDatadogApiKey(rng), 4);
  token('structured-token', 'okta-api-token', 'okta_api_token', () => f.fakeOktaToken(rng), 4);
  token('structured-token', 'huggingface-token', 'hf_token', () => f.fakeHuggingFaceToken(rng), 4);
  token('cloud-key', 'azure-ad-client-secret', 'azure_client_secret', () => f.fakeAzureAdClientSecret(rng));
  token('cloud-key', 'aws-session-token', 'aws_session_token', () => f.fakeAwsSessionToken(rng), 4);
  token('cloud-key', 'azure-storage-account-key', 'azure_storage_key', () => f.fakeAzureStorageKey(rng), 4);

  // ---------------- cloud keys with structure
  for (let i = 0; i < N; i++) {
    const account = String(100000000000 + rng.int(899999999999));
    const { text, keyId, secret } = f.fakeAwsCredentialsFile(account, rng);
    out.push({
      family: 'cloud-key',
      label: 'aws-access-key-pair',
      path: i % 2 ? '.aws/credentials' : 'ci/aws.ini',
      text,
      expect: { detectorId: 'aws-access-key-pair', value: secret, decoded: { accessKeyId: keyId, awsAccountId: account } },
    });
  }
  for (let i = 0; i < 4; i++) {
    const keyId = f.fakeAwsAccessKeyId('210987654321', rng);
    const secret = f.fakeAwsSecretAccessKey(rng);
    out.push({
      family: 'cloud-key',
      label: 'aws-access-key-pair',
      path: 'src/aws.ts',
      text: `const s3 = new S3Client({\n  credentials: {\n    accessKeyId: '${keyId}',\n    secretAccessKey: '${secret}',\n  },\n});\n`,
      expect: { detectorId: 'aws-access-key-pair', value: secret, decoded: { accessKeyId: keyId } },
    });
  }
  for (let i = 0; i < 4; i++) {
    const keyId = f.fakeAwsAccessKeyId('333344445555', rng);
    out.push({
      family: 'cloud-key',
      label: 'aws-access-key-id',
      path: 'docs/runbook.txt',
      text: `The deploy user key is ${keyId} (rotate quarterly).\n`,
      expect: { detectorId: 'aws-access-key-id', value: keyId, decoded: { awsAccountId: '333344445555' } },
    });
  }
  for (let i = 0; i < 4; i++) {
    const { text, key } = f.fakeAzureStorageConnectionString(rng);
    out.push({
      family: 'cloud-key',
      label: 'azure-storage-connection-string',
      path: 'appsettings.json',
      text: `{\n  "ConnectionStrings": {\n    "Storage": "${text}"\n  }\n}\n`,
      expect: { detectorId: 'azure-storage-connection-string', value: key },
    });
  }
  for (let i = 0; i < 4; i++) {
    const { url, sig } = f.fakeAzureSasUrl(rng);
    out.push({
      family: 'cloud-key',
      label: 'azure-sas-token',
      path: 'scripts/restore.sh',
      text: `az storage blob download --blob-url "${url}"\n`,
      expect: { detectorId: 'azure-sas-token', value: sig },
    });
  }
  for (let i = 0; i < 3; i++) {
    const { json } = f.fakeGcpServiceAccountJson(rng);
    const value = JSON.parse(json).private_key as string;
    const escaped = JSON.stringify(value).slice(1, -1);
    out.push({
      family: 'cloud-key',
      label: 'gcp-service-account-key',
      path: 'secrets/sa.json',
      text: json,
      expect: { detectorId: 'gcp-service-account-key', value: escaped },
    });
  }

  // ---------------- private keys
  const keyKinds: Array<[f.PemKind, string]> = [
    ['rsa-pkcs1', 'private-key-rsa'],
    ['rsa-pkcs8', 'private-key-pkcs8'],
    ['ec-sec1', 'private-key-ec'],
    ['ec-pkcs8', 'private-key-pkcs8'],
    ['ed25519-pkcs8', 'private-key-pkcs8'],
    ['rsa-pkcs8-encrypted', 'private-key-pkcs8-encrypted'],
  ];
  for (const [kind, id] of keyKinds) {
    for (let i = 0; i < 2; i++) {
      const pem = f.fakePemPrivateKey(kind).trimEnd();
      out.push({ family: 'private-key', label: id, path: i ? 'deploy/tls.key' : 'certs/server.pem', text: pem + '\n', expect: { detectorId: id, value: pem } });
    }
  }
  {
    const pem = f.fakeLegacyEncryptedRsaPem().trimEnd();
    out.push({
      family: 'private-key',
      label: 'private-key-rsa',
      path: 'keys/legacy.pem',
      text: pem + '\n',
      expect: { detectorId: 'private-key-rsa', value: pem, decoded: { encrypted: true } },
    });
    for (const encrypted of [false, true]) {
      const key = f.fakeOpenSshPrivateKey({ encrypted }).trimEnd();
      out.push({
        family: 'private-key',
        label: 'private-key-openssh',
        path: '.ssh/id_ed25519',
        text: key + '\n',
        expect: { detectorId: 'private-key-openssh', value: key, decoded: { encrypted } },
      });
    }
    const inJson = JSON.stringify(f.fakePemPrivateKey('rsa-pkcs1')).slice(1, -1).replace(/\\n$/, '');
    out.push({
      family: 'private-key',
      label: 'private-key-rsa',
      path: 'config/app.json',
      text: `{ "signingKey": "${inJson}" }\n`,
      expect: { detectorId: 'private-key-rsa', value: inJson },
    });
  }

  // ---------------- JWT
  token('jwt', 'jwt', 'session_token', () => f.fakeJwt({}, rng));

  // ---------------- URLs and connection strings
  const urls: Array<[() => { url: string; password: string }, string, string]> = [
    [() => f.fakePostgresUrl(rng), 'postgres-url-password', 'DATABASE_URL'],
    [() => f.fakeDatabaseUrl('mysql', rng), 'mysql-url-password', 'MYSQL_URL'],
    [() => f.fakeDatabaseUrl('mongodb+srv', rng), 'mongodb-url-password', 'MONGO_URI'],
    [() => f.fakeDatabaseUrl('redis', rng), 'redis-url-password', 'REDIS_URL'],
    [() => f.fakeDatabaseUrl('amqp', rng), 'amqp-url-password', 'BROKER_URL'],
    [() => f.fakeDatabaseUrl('https', rng), 'url-basic-auth', 'REPO_URL'],
  ];
  for (const [gen, id, name] of urls) {
    for (let i = 0; i < 4; i++) {
      const { url, password } = gen();
      out.push({ family: 'url-credential', label: id, ...inContext(name, url, i), expect: { detectorId: id, value: password } });
    }
  }
  for (let i = 0; i < 3; i++) {
    const pw = f.fakePassword(rng);
    out.push({
      family: 'url-credential',
      label: 'connection-string-password',
      path: 'web.config',
      text: `<add name="Db" connectionString="Server=sql.corp.internal;Database=app;User Id=app;Password=${pw};" />\n`,
      expect: { detectorId: 'connection-string-password', value: pw },
    });
  }

  // ---------------- manifests
  for (let i = 0; i < 3; i++) {
    const d = f.fakeDockerConfigJson(rng);
    out.push({
      family: 'manifest',
      label: 'docker-registry-auth',
      path: '.docker/config.json',
      text: d.text,
      expect: { detectorId: 'docker-registry-auth', value: d.auth },
    });
    const k = f.fakeKubernetesSecret(rng);
    out.push({
      family: 'manifest',
      label: 'kubernetes-secret-manifest',
      path: 'k8s/db-secret.yaml',
      text: k.text,
      expect: { detectorId: 'kubernetes-secret-manifest', value: k.password },
    });
    const c = f.fakeKubeconfig(rng);
    out.push({ family: 'manifest', label: 'kubeconfig-token', path: '.kube/config', text: c.text, expect: { detectorId: 'kubeconfig-token', value: c.token } });
  }

  // ---------------- generic
  const generic: Array<[string, string, () => string]> = [
    ['generic-password', 'db_password', () => f.fakePassword(rng, 14)],
    ['generic-password', 'password', () => f.fakePassword(rng, 10)],
    ['generic-secret', 'jwt_secret', () => rng.chars(f.ALNUM, 32)],
    ['generic-client-secret', 'client_secret', () => rng.chars(f.B64URLCHARS, 34)],
    ['generic-api-key', 'api_key', () => rng.chars(f.ALNUM, 32)],
    ['generic-token', 'auth_token', () => rng.chars(f.ALNUM, 40)],
  ];
  for (const [id, name, gen] of generic) {
    for (let i = 0; i < 5; i++) {
      const value = gen();
      const ctx = inContext(name, value, i === 4 ? 7 : i); // skip the bare curl context: no name there
      out.push({ family: 'generic', label: id, ...ctx, expect: { detectorId: id, value } });
    }
  }

  out.push(...buildNegatives(rng));
  return out;
}

function neg(family: CorpusFamily, label: string, path: string, text: string): Sample {
  return { family, label, path, text };
}

export function buildNegatives(rng: Rng): Sample[] {
  const hex = (n: number): string => rng.chars(f.HEXCHARS, n);
  const b64 = (n: number): string => rng.bytes(n).toString('base64');
  const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const out: Sample[] = [];
  // AWS documentation examples and look-alikes.
  out.push(
    neg(
      'cloud-key',
      'aws-doc-example-pair',
      '.aws/credentials',
      `[default]\naws_access_key_id = ${f.AWS_DOC_KEY_ID}\naws_secret_access_key = ${f.AWS_DOC_SECRET}\n`,
    ),
  );
  out.push(
    neg('cloud-key', 'aws-doc-example-env', 'README.txt', `export AWS_ACCESS_KEY_ID=${f.AWS_DOC_KEY_ID}\nexport AWS_SECRET_ACCESS_KEY=${f.AWS_DOC_SECRET}\n`),
  );
  out.push(
    neg('cloud-key', 'aws-placeholder-id', 'config/.env', `AWS_ACCESS_KEY_ID=${p('AK', 'IA')}XXXXXXXXXXXXXXXX\nAWS_SECRET_ACCESS_KEY=${'x'.repeat(40)}\n`),
  );
  out.push(neg('cloud-key', 'base64-40-no-context', 'data/blob.txt', `payload ${rng.chars(f.ALNUM + '+/', 40)} end\n`));
  out.push(neg('cloud-key', 'git-sha-near-key-name', 'ci.yml', `aws_secret_access_key_ref: ${hex(40)}\n`));
  out.push(neg('cloud-key', 'azure-b64-no-keyword', 'data/x.txt', `blob: ${b64(64)}\n`));
  // Structured look-alikes.
  for (let i = 0; i < 6; i++) out.push(neg('structured-token', 'github-bad-checksum', 'config/.env', `GITHUB_TOKEN=${f.fakeGithubPatBadChecksum(rng)}\n`));
  for (let i = 0; i < 4; i++)
    out.push(
      neg('structured-token', 'npm-bad-checksum', '.npmrc', `//registry.npmjs.org/:_authToken=\${NPM_TOKEN}\n# old: ${f.fakeNpmTokenBadChecksum(rng)}\n`),
    );
  out.push(neg('structured-token', 'github-placeholder', 'README.txt', `export GITHUB_TOKEN=${p('gh', 'p_')}${'x'.repeat(36)}\n`));
  out.push(neg('structured-token', 'stripe-placeholder', 'config/.env', `STRIPE_KEY=${p('sk', '_live_')}${'X'.repeat(24)}\n`));
  out.push(neg('structured-token', 'slack-placeholder', 'config/.env', `SLACK_TOKEN=${p('xo', 'xb-')}0000000000-0000000000000-${'x'.repeat(24)}\n`));
  out.push(neg('structured-token', 'pypi-bad-macaroon', 'config/.env', `PYPI_TOKEN=${p('py', 'pi-', 'AgE')}${rng.chars(f.B64URLCHARS, 120)}\n`));
  out.push(
    neg(
      'jwt',
      'jwt-alg-none',
      'config/.env',
      `TOKEN=${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.\n`,
    ),
  );
  out.push(neg('jwt', 'jwt-garbage', 'config/.env', `SESSION=eyJ${rng.chars(f.ALNUM, 30)}.eyJ${rng.chars(f.ALNUM, 30)}.${rng.chars(f.ALNUM, 30)}\n`));
  out.push(neg('private-key', 'pem-placeholder', 'docs/tls.txt', `-----BEGIN RSA PRIVATE KEY-----\n...your key here...\n-----END RSA PRIVATE KEY-----\n`));
  out.push(neg('private-key', 'pem-truncated', 'certs/key.pem', `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\n${b64(30)}\n-----END PRIVATE KEY-----\n`));
  out.push(
    neg('private-key', 'pem-public-key', 'certs/pub.pem', `-----BEGIN PUBLIC KEY-----\n${b64(270).replace(/(.{64})/g, '$1\n')}\n-----END PUBLIC KEY-----\n`),
  );
  // Templates and placeholders.
  const templated: Array<[string, string]> = [
    ['deploy/values.yaml', 'password: ${DB_PASSWORD}\n'],
    ['chart/templates/secret.yaml', 'password: {{ .Values.db.password }}\n'],
    ['src/config.js', 'const secret = process.env.SECRET;\n'],
    ['app/settings.py', 'PASSWORD = os.environ["DB_PASSWORD"]\n'],
    ['app/db.py', 'pwd = "%(db_pwd)s"\n'],
    ['config/app.yaml', 'token: "<your-token>"\n'],
    ['config/app.ini', 'api_key = changeme\n'],
    ['config/.env', 'PASSWORD=$DB_PASS\n'],
    ['config/.env', 'DATABASE_URL=postgres://app:${PGPASSWORD}@db:5432/app\n'],
    ['config/.env', 'DATABASE_URL=postgres://user:password@localhost:5432/app\n'],
    ['ansible/vars.yml', 'client_secret: "{{ client_secret }}"\n'],
    ['ansible/vault.yml', 'db_password: !vault |\n'],
    ['src/app.ts', "const apiKey = 'YOUR_API_KEY';\n"],
    ['config/app.yaml', "password: '********'\n"],
    ['config/app.yaml', 'secret: example-secret-value\n'],
    ['config/app.yaml', 'api_key: dummy_api_key_for_tests\n'],
    ['Dockerfile', 'ENV PASSWORD=${PASSWORD}\n'],
    ['config/app.properties', 'db.password=#{dbPassword}\n'],
    ['config/application.yml', 'spring.datasource.password: ${SPRING_DATASOURCE_PASSWORD:}\n'],
    ['k8s/deploy.yaml', '        - name: API_TOKEN\n          valueFrom:\n            secretKeyRef:\n              name: api\n              key: token\n'],
  ];
  for (const [path, text] of templated) out.push(neg('generic', 'template-or-placeholder', path, text));
  // Hashes, UUIDs, integrity.
  const hashed: Array<[string, string]> = [
    ['build/manifest.yaml', `sha256: ${hex(64)}\n`],
    ['db/seed.sql', `password_hash = "${hex(32)}"\n`],
    ['ci/state.json', `{ "commit": "${hex(40)}" }\n`],
    ['config/app.yaml', `secret_hash: ${hex(64)}\n`],
    ['package-lock.json', `    "node_modules/x": {\n      "integrity": "sha512-${b64(64)}"\n    }\n`],
    ['yarn.lock', `  integrity sha512-${b64(64)}\n`],
    ['go.sum', `github.com/x/y v1.2.3 h1:${b64(32)}\n`],
    ['config/app.yaml', `checksum: sha256:${hex(64)}\n`],
    ['config/app.yaml', `request_id: ${uuid()}\n`],
    ['config/app.json', `{ "client_id": "${uuid()}" }\n`],
    ['config/app.yaml', `token_id: ${uuid()}\n`],
    ['config/app.yaml', `secret: ${uuid()}\n`],
    ['Dockerfile', `FROM node@sha256:${hex(64)}\n`],
    ['web/index.html', `<img src="data:image/png;base64,${b64(300)}">\n`],
    ['poetry.lock', `content-hash = "${hex(64)}"\npassword = "${rng.chars(f.ALNUM, 20)}"\n`],
  ];
  for (const [path, text] of hashed) out.push(neg('generic', 'hash-uuid-integrity', path, text));
  // Code that names secrets without containing them.
  const code: Array<[string, string]> = [
    ['src/auth.py', 'password = get_password()\n'],
    ['src/auth.js', 'const token = request.headers.get("Authorization");\n'],
    ['src/auth.py', 'if password == "":\n    raise ValueError("empty")\n'],
    ['src/form.ts', 'passwordField: "Enter your password",\n'],
    ['src/oauth.ts', 'token_type: "bearer",\n'],
    ['src/llm.py', 'max_tokens: 4096\n'],
    ['src/k8s.ts', 'secret_name: "prod-db-credentials",\n'],
    ['src/login.js', 'const password = req.body.password;\n'],
    ['src/nlp.py', 'tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")\n'],
    ['src/a.go', 'Password: cfg.DatabasePassword,\n'],
    ['src/a.java', 'String secret = System.getenv("APP_SECRET");\n'],
    ['src/a.cs', 'var token = await GetTokenAsync(cancellationToken);\n'],
    ['src/a.rb', "password = ENV['DB_PASSWORD']\n"],
    ['config/app.yaml', 'password_min_length: 12\n'],
    ['src/routes.ts', "router.post('/password/reset', resetPassword);\n"],
  ];
  for (const [path, text] of code) out.push(neg('generic', 'code-expression', path, text));
  return out;
}
