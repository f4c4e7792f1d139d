/**
 * Real-code idioms that name a secret without holding one: shell, Perl, PHP, C, YAML, CI files,
 * Makefiles, Dockerfiles, Python, JavaScript, Windows batch. Each is shaped after code found in large
 * open-source projects (git, redis, CPython, Node tooling). A scan must report none of them
 * (test/secrets/code-idioms.test.ts), while the real secrets placed among them (positives, built at test
 * time) are still found.
 */
import { fakeGithubClassicPat, fakeSlackBotToken, p, Rng } from './fake-tokens.js';

export interface Idiom {
  label: string;
  path: string;
  text: string;
}

/** Code where a secret-like name stands next to code, a reference or a placeholder: never a finding. */
export const CODE_IDIOMS: Idiom[] = [
  // ---------------------------------------------------------------- shell
  {
    label: 'shell positional parameters in a .netrc line',
    path: 'scripts/lib-httpd.sh',
    text: 'write_netrc () {\n\techo "machine $1 login $2 password $3" >"$HOME/.netrc"\n}\n',
  },
  {
    label: 'shell command substitution',
    path: 'ci/mount-fileshare.sh',
    text: 'pass="$(echo "$3" | sed -e \'s/\\//%2F/g\')" &&\nmount -t smbfs "smb://$2:$pass@${1#//}" "$4"\n',
  },
  { label: 'shell backticks', path: 'tools/login.sh', text: 'PASSWORD=`cat /run/secrets/db_password`\nTOKEN=`vault read -field=token secret/ci`\n' },
  {
    label: 'shell variables and expansions',
    path: 'deploy/run.sh',
    text: 'export DB_PASSWORD=$DB_PASSWORD_FROM_VAULT\nexport API_TOKEN=${API_TOKEN:?missing}\nsecret_key="${SECRET_KEY:-}"\nauth_token=$(gh auth token)\n',
  },
  {
    label: 'shell URL with variable credentials',
    path: 'scripts/clone.sh',
    text: 'git clone "https://$GIT_USER:$GIT_PASSWORD@github.com/acme/app.git"\nHTTPD_URL_USER_PASS=$HTTPD_PROTO://user%40host:$PASS@$HTTPD_DEST\n',
  },
  { label: 'shell read -s and prompts', path: 'bin/setup', text: 'read -r -s -p "Password: " password\necho\nexport PGPASSWORD="$password"\n' },
  // ---------------------------------------------------------------- Perl
  { label: 'Perl method call', path: 'git-cvsimport.perl', text: 'if ($pass) {\n\t$pass = $self->_scramble($pass);\n} else {\n\t$pass = "A";\n}\n' },
  {
    label: 'Perl hash access and my',
    path: 'lib/Auth.pm',
    text: 'my $password = $opts{password};\nmy $token = $ENV{GITHUB_TOKEN};\n$self->{api_key} = shift;\nmy $secret = @{$cfg}{secret};\n',
  },
  // ---------------------------------------------------------------- PHP
  {
    label: 'PHP variables and members',
    path: 'src/Db.php',
    text: "<?php\n$password = $config->get('db.password');\n$this->apiKey = $apiKey;\ndefine('DB_PASSWORD', getenv('DB_PASSWORD'));\n$token = $_POST['token'];\n",
  },
  // ---------------------------------------------------------------- C
  {
    label: 'C designated initializer',
    path: 'src/config.c',
    text: 'static standardConfig configs[] = {\n    createStringConfig("requirepass", NULL, MODIFIABLE_CONFIG, ALLOW_EMPTY_STRING, server.requirepass, NULL, NULL, NULL),\n    {.name = "masterauth", .value.object = &server.masterauth},\n};\nconfig->password = .value.object=NULL;\n',
  },
  {
    label: 'C function calls and struct members',
    path: 'src/auth.c',
    text: 'char *password = getpass("Password: ");\nconst char *token = sdsnew(c->argv[1]->ptr);\nauth->password = zstrdup(pass);\npassword = (char *)malloc(len);\n',
  },
  // ---------------------------------------------------------------- YAML / CI
  {
    label: 'GitHub Actions secrets context',
    path: '.github/workflows/release.yml',
    text: 'jobs:\n  publish:\n    steps:\n      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n          API_KEY: ${{ secrets.API_KEY }}\n          password: ${{ inputs.password }}\n',
  },
  {
    label: 'GitLab CI variables',
    path: '.gitlab-ci.yml',
    text: 'deploy:\n  script:\n    - docker login -u "$CI_REGISTRY_USER" -p "$CI_REGISTRY_PASSWORD" $CI_REGISTRY\n  variables:\n    DB_PASSWORD: $VAULT_DB_PASSWORD\n',
  },
  {
    label: 'Helm and Jinja templates',
    path: 'charts/app/templates/secret.yaml',
    text: 'stringData:\n  password: {{ .Values.db.password | quote }}\n  token: "{{ required "token" .Values.token }}"\napi_key: "{% raw %}{{ api_key }}{% endraw %}"\n',
  },
  {
    label: 'Ansible vault and lookups',
    path: 'roles/db/vars/main.yml',
    text: 'db_password: "{{ vault_db_password }}"\napi_token: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n',
  },
  {
    label: 'docker-compose environment references',
    path: 'docker-compose.yml',
    text: 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n      REDIS_URL: redis://:${REDIS_PASSWORD}@redis:6379/0\n',
  },
  // ---------------------------------------------------------------- Makefile / Dockerfile
  {
    label: 'Makefile variables',
    path: 'Makefile',
    text: 'PASSWORD ?= $(shell cat .password)\nTOKEN := $(GITHUB_TOKEN)\nlogin:\n\tdocker login -u $(USER) --password $(PASSWORD)\n',
  },
  {
    label: 'Dockerfile build args',
    path: 'Dockerfile',
    text: 'ARG NPM_TOKEN\nENV API_KEY=$API_KEY\nRUN --mount=type=secret,id=token TOKEN=$(cat /run/secrets/token) make\n',
  },
  // ---------------------------------------------------------------- Python / JavaScript
  {
    label: 'Python environment lookups',
    path: 'app/settings.py',
    text: 'import os\nPASSWORD = os.environ["DB_PASSWORD"]\nSECRET_KEY = os.environ.get("SECRET_KEY")\napi_key = os.getenv("API_KEY")\ntoken = getpass.getpass("Token: ")\n',
  },
  {
    label: 'JavaScript environment and calls',
    path: 'src/config.js',
    text: 'const password = process.env.DB_PASSWORD;\nconst apiKey = process.env["API_KEY"];\nconst token = await getToken();\nconst secret = config.get("secret");\n',
  },
  {
    label: 'Python None defaults in a signature',
    path: 'requests/packages/cachecore/core.py',
    text: "    def __init__(self, host='localhost', port=6379, password=None,\n                 db=0, default_timeout=300):\ndef setdefaultproxy(proxytype=None,addr=None,port=None,rdns=True,username=None,password=None):\n",
  },
  {
    label: 'Python names of objects that handle passwords',
    path: 'requests/packages/urllib3/packages/six.py',
    text: '    MovedAttribute("HTTPPasswordMgr", "urllib2", "urllib.request"),\n    MovedAttribute("HTTPPasswordMgrWithDefaultRealm", "urllib2", "urllib.request"),\n',
  },
  {
    label: 'OAuth RFC examples in a library docstring',
    path: 'requests/packages/oauthlib/oauth2/draft25/parameters.py',
    text: '    Example::\n\n        {\n        "access_token":"2YotnFZFEjr1zCsicMWpAA",\n        "token_type":"example",\n        "refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA",\n        }\n            oauth_consumer_key="9djdj82h48djs9d2",\n            oauth_token="kkk9d7dh3k39sjv7",\n',
  },
  {
    label: 'test output quoting a stand-in URL password',
    path: 'pytestoutput.txt',
    text: 'tests/test_utils.py::test_get_auth_from_url[http://user:pass%20pass@complex.url.com/path?query=yes-auth2] PASSED [ 81%]\n',
  },
  // ---------------------------------------------------------------- Windows batch
  { label: 'batch variables', path: 'scripts/deploy.cmd', text: 'set PASSWORD=%DEPLOY_PASSWORD%\ncurl -u admin:%ADMIN_PASSWORD% https://ci.internal/\n' },
  // ---------------------------------------------------------------- placeholders
  {
    label: 'documented placeholders',
    path: 'config/app.ini',
    text: 'password = changeme\napi_key = your-api-key\ntoken = <token>\nsecret = xxxxxxxxxxxxxxxx\n',
  },
  {
    label: 'bot login next to a token reference',
    path: '.github/workflows/l10n.yml',
    text: "      with:\n          repo-token: ${{ secrets.GITHUB_TOKEN }}\n          repo-token-user-login: 'github-actions[bot]'\n",
  },
  { label: 'sudoers NOPASSWD', path: 'docs/sudoers.txt', text: 'wwwrun  ALL=(git)       NOPASSWD:SETENV:/usr/lib/git/*,/usr/share/gitweb/gitweb.cgi\n' },
  { label: 'an e-mail address under a password name', path: 'LocalSettings.php', text: '$wgPasswordSender   = "apache@localhost";\n' },
  { label: 'leetspeak stand-ins', path: 'config/imap.conf', text: 'user = bob\npass = p4ssw0rd\npassword=secr3t\n' },
  {
    label: 'AWS documentation keys',
    path: 'config/aws.ini',
    text: `[default]\naws_access_key_id = ${p('AKIAIOSFODNN7', 'EXAMPLE')}\naws_secret_access_key = ${p('wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'EXAMPLEKEY')}\n`,
  },
  { label: 'proxy URL placeholder', path: 'config/proxy.conf', text: 'all_proxy=http://login-on-proxy:passwd-on-proxy@proxy-host.com:8080\n' },
  {
    label: 'base64 of a self-describing stand-in',
    path: 'scripts/auth.sh',
    text: `credential=${Buffer.from('alice:secret-passwd').toString('base64')}\ncredential=${Buffer.from('another-token').toString('base64')}\n`,
  },
];

export interface Positive {
  label: string;
  path: string;
  text: string;
  detectorId: string;
  value: string;
}

/** A password may hold `@`: the host starts after the last one. */
const WITH_URL_SPLIT = true;

/** Real secrets in the same languages, placed next to the idioms: they must still be found. */
export function idiomPositives(seed = 7): Positive[] {
  const rng = new Rng(seed);
  const password = (): string => rng.chars('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789', 14) + '#7';
  const out: Positive[] = [];
  const ghp = fakeGithubClassicPat(rng);
  out.push({
    label: 'shell export of a token',
    path: 'deploy/run.sh',
    text: `export DB_PASSWORD=$DB_PASSWORD_FROM_VAULT\nexport GITHUB_TOKEN=${ghp}\n`,
    detectorId: 'github-pat-classic',
    value: ghp,
  });
  const pw1 = password();
  out.push({
    label: 'Perl literal password',
    path: 'lib/Auth.pm',
    text: `my $password = $opts{password};\nmy $fallback_password = '${pw1}';\n`,
    detectorId: 'generic-password',
    value: pw1,
  });
  const pw2 = password();
  if (WITH_URL_SPLIT)
    out.push({
      label: 'URL password containing @',
      path: 'config/db.env',
      text: `DATABASE_URL=postgres://app:${pw2.slice(0, 6)}@${pw2.slice(6)}@db.internal:5432/app\n`,
      detectorId: 'postgres-url-password',
      value: `${pw2.slice(0, 6)}@${pw2.slice(6)}`,
    });
  const slack = fakeSlackBotToken(rng);
  out.push({
    label: 'CI file with a literal token next to secret references',
    path: '.github/workflows/notify.yml',
    text: `env:\n  API_KEY: \${{ secrets.API_KEY }}\n  SLACK_TOKEN: ${slack}\n`,
    detectorId: 'slack-bot-token',
    value: slack,
  });
  const pw3 = password();
  out.push({
    label: 'docker-compose literal password',
    path: 'docker-compose.yml',
    text: `services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}\n      ADMIN_PASSWORD: "${pw3}"\n`,
    detectorId: 'generic-password',
    value: pw3,
  });
  const pw4 = password();
  out.push({
    label: 'Python literal next to os.environ',
    path: 'app/settings.py',
    text: `import os\nPASSWORD = os.environ["DB_PASSWORD"]\nREPLICA_PASSWORD = "${pw4}"\n`,
    detectorId: 'generic-password',
    value: pw4,
  });
  return out;
}
