/**
 * Credentials in well-known files and their encodings: .npmrc, .pypirc, .gem/credentials, Docker
 * identity tokens, Jenkins credentials.xml, Gradle, React app environments, htpasswd and shadow
 * password hashes, keystores (PKCS#12, Java JKS/JCEKS) and private keys pasted as base64.
 */
import type { DetectorEntry } from '../detector.js';
import { entries, ref } from './patterns.js';

const HASH_SEVERITY = 'low' as const;

export const credentialFileDetectors: DetectorEntry[] = entries({ family: 'contextual', severity: 'high' }, [
  {
    id: 'npmrc-auth-basic', title: 'npm registry basic credentials in .npmrc (_auth)', provider: 'npm', keywords: ['_auth='], identityKind: 'npm-user',
    pattern: /(?<![A-Za-z0-9_])_auth\s{0,3}=\s{0,3}["']?(?<secret>[A-Za-z0-9+/]{8,512}={0,2})/, validators: ['basic-auth-pair'], confidence: 'validated', minEntropy: 0,
    references: ['https://docs.npmjs.com/cli/v10/configuring-npm/npmrc#auth-related-configuration'],
    examples: { positive: [{ template: '//npm.corp.internal/:_auth={b64auth}\n', path: '.npmrc' }], negative: [{ template: '_auth=${NPM_AUTH}\n', path: '.npmrc' }, { template: '_auth={b64bytes:24}\n', path: '.npmrc' }] },
  },
  {
    id: 'npmrc-password', title: 'npm registry password in .npmrc (_password, base64)', provider: 'npm', keywords: ['_password='], identityKind: 'npm-user',
    pattern: /(?<![A-Za-z0-9_])_password\s{0,3}=\s{0,3}["']?(?<secret>[A-Za-z0-9+/]{8,512}={0,2})/, validators: ['base64-password'], minEntropy: 0,
    references: ['https://docs.npmjs.com/cli/v10/configuring-npm/npmrc#auth-related-configuration'],
    examples: { positive: [{ template: '//npm.corp.internal/:username=deployer\n//npm.corp.internal/:_password={b64password}\n', path: '.npmrc' }], negative: [{ template: '_password=${NPM_PASS}\n', path: '.npmrc' }] },
  },
  {
    id: 'pypirc-password', title: 'Package index password in .pypirc', provider: 'pypi', keywords: ['[pypi]', '[testpypi]', '[distutils]'], identityKind: 'pypi-user',
    pattern: /^password[ \t]{0,4}[=:][ \t]{0,4}(?<secret>[^\s]{1,256})/m, validators: ['password-value'], window: { linesAfter: 8 }, minEntropy: 0,
    references: ['https://packaging.python.org/en/latest/specifications/pypirc/'],
    examples: { positive: [{ template: '[distutils]\nindex-servers = internal\n\n[internal]\nrepository = https://pypi.corp.internal/\nusername = deployer\npassword = {password}\n', path: '.pypirc' }], negative: [{ template: '[pypi]\nusername = __token__\npassword = <your-token>\n', path: '.pypirc' }] },
  },
  {
    id: 'gem-credentials-api-key', title: 'RubyGems API key in .gem/credentials', provider: 'rubygems', keywords: [':rubygems_api_key:'],
    pattern: /:rubygems_api_key:[ \t]{0,4}["']?(?<secret>[0-9a-f]{32})(?![0-9a-f])/, minEntropy: 3,
    references: ['https://guides.rubygems.org/command-reference/#gem-push'],
    examples: { positive: [{ template: '---\n:rubygems_api_key: {hex:32}\n', path: '.gem/credentials' }], negative: [{ template: '---\n:rubygems_api_key: {hex:20}\n', path: '.gem/credentials' }] },
  },
  {
    id: 'docker-identity-token', title: 'Docker registry identity token (config.json identitytoken)', provider: 'docker', family: 'manifest', keywords: ['"identitytoken"'], identityKind: 'registry-user',
    pattern: /"identitytoken"\s{0,3}:\s{0,3}"(?<secret>[A-Za-z0-9._~+/=-]{20,4096})"/, validators: ['not-reference'],
    references: ['https://docs.docker.com/reference/cli/docker/login/'],
    examples: { positive: [{ template: '{ "auths": { "acme.azurecr.io": { "identitytoken": "{gen:fakeJwt}" } } }\n', path: '.docker/config.json' }], negative: ['{ "identitytoken": "" }\n'] },
  },
  {
    id: 'jenkins-encrypted-secret', title: 'Jenkins encrypted secret (credentials.xml, decryptable with the controller master key)', provider: 'jenkins', keywords: ['{aqaaab'], severity: 'medium',
    pattern: /<(?<field>password|secret|apiToken|passphrase|privateKey|token|secretBytes)>\s{0,4}\{(?<secret>AQAAAB[A-Za-z0-9+/]{40,4000}={0,2})\}\s{0,4}<\//, confidence: 'validated', minEntropy: 0,
    references: ['https://www.jenkins.io/doc/developer/security/secrets/', ref.kingfisher('jenkins')],
    examples: {
      positive: [{ template: '<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n  <username>deployer</username>\n  <password>{AQAAABAAAAAQ{b64:100}=}</password>\n</com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n', path: 'jenkins/credentials.xml' }],
      negative: [{ template: '<password>{AQAAAB=}</password>\n', path: 'jenkins/credentials.xml' }],
    },
  },
  {
    id: 'gradle-credentials', title: 'Password in a Gradle repository credentials block', provider: 'gradle', keywords: ['credentials {', 'credentials{'],
    pattern: /credentials\s{0,4}\{[^}]{0,300}?password\s{0,4}=?\s{0,4}["'](?<secret>[^"'\s$]{6,100})["']/, validators: ['password-value'], window: { linesAfter: 6 }, minEntropy: 0,
    references: ['https://docs.gradle.org/current/userguide/declaring_repositories.html', ref.kingfisher('gradle')],
    examples: {
      positive: [{ template: 'maven {\n  url "https://nexus.corp.internal/repository/releases"\n  credentials {\n    username "deployer"\n    password "{password}"\n  }\n}\n', path: 'build.gradle' }],
      negative: [{ template: 'credentials {\n  username = findProperty("user")\n  password = findProperty("pass")\n}\n', path: 'build.gradle.kts' }],
    },
  },
  {
    id: 'gradle-properties-password', title: 'Repository or signing password in gradle.properties', provider: 'gradle',
    keywords: ['ossrhpassword', 'sonatypepassword', 'mavenpassword', 'nexuspassword', 'artifactorypassword', 'signing.password', 'mavencentralpassword'],
    pattern: /(?:ossrh|sonatype|maven|nexus|artifactory|signing\.|mavenCentral)[A-Za-z]{0,20}Password[ \t]{0,3}[=:][ \t]{0,3}(?<secret>[^\s$]{6,200})/i, validators: ['password-value'], minEntropy: 0,
    references: ['https://docs.gradle.org/current/userguide/build_environment.html#sec:gradle_configuration_properties', ref.kingfisher('gradle')],
    examples: { positive: [{ template: 'ossrhUsername=deployer\nossrhPassword={password}\n', path: 'gradle.properties' }], negative: [{ template: 'ossrhPassword=${OSSRH_PASSWORD}\n', path: 'gradle.properties' }] },
  },
  {
    id: 'react-app-secret', title: 'Secret in a React app environment variable (bundled into the browser build)', provider: 'react', keywords: ['react_app_'], severity: 'medium',
    pattern: /(?<![A-Za-z0-9_])REACT_APP_[A-Z0-9_]{0,40}(?:KEY|TOKEN|SECRET|PASSWORD|PASS|PWD)[ \t]{0,3}=[ \t]{0,3}["']?(?<secret>[^\s"'$]{8,200})/i, validators: ['not-reference'], minEntropy: 3,
    references: ['https://create-react-app.dev/docs/adding-custom-environment-variables/', ref.kingfisher('react')],
    examples: { positive: [{ template: 'REACT_APP_STRIPE_SECRET={alnum:32}\nREACT_APP_API_URL=https://api.internal\n', path: '.env.production' }], negative: [{ template: 'REACT_APP_API_KEY=${API_KEY}\n', path: '.env' }] },
  },
  {
    id: 'particle-access-token', title: 'Particle (particle.io) access token', provider: 'particle', keywords: ['particle.io'], window: { linesBefore: 3, linesAfter: 3 },
    pattern: /(?:access_token=|Authorization:\s{0,4}Bearer\s{1,4})(?<secret>[a-zA-Z0-9]{40})(?![A-Za-z0-9])/, minEntropy: 3,
    references: ['https://docs.particle.io/reference/cloud-apis/access-tokens/', ref.kingfisher('particle.io')],
    examples: { positive: ['curl https://api.particle.io/v1/devices?access_token={alnum:40}\n'], negative: ['curl https://api.particle.io/v1/devices?access_token={alnum:20}\n'] },
  },
  {
    id: 'htpasswd-hash', title: 'Password hash in an htpasswd file (hashed credential)', provider: 'generic', family: 'url-credential', keywords: ['$apr1$', '{sha}', '$2y$', '$2a$', '$2b$'], severity: HASH_SEVERITY,
    pattern: /^(?<user>[A-Za-z0-9._@-]{1,64}):(?<secret>\$apr1\$[./0-9A-Za-z]{1,8}\$[./0-9A-Za-z]{22}|\{SHA\}[A-Za-z0-9+/]{27}=|\$2[aby]\$\d{2}\$[./0-9A-Za-z]{53})[ \t]{0,8}$/m, validators: ['password-hash'], minEntropy: 0,
    references: ['https://httpd.apache.org/docs/2.4/misc/password_encryptions.html'],
    examples: { positive: [{ template: 'deployer:$apr1${lalnum:8}${[./0-9A-Za-z]:22}\nadmin:$2y$10${[./0-9A-Za-z]:53}\n', path: 'nginx/.htpasswd' }], negative: [{ template: 'deployer:$apr1$\n', path: 'nginx/.htpasswd' }] },
  },
  {
    id: 'shadow-hash', title: 'Password hash in a shadow file (hashed credential)', provider: 'generic', family: 'url-credential', keywords: ['$1$', '$5$', '$6$', '$y$'], severity: HASH_SEVERITY,
    pattern: /^(?<user>[a-z_][a-z0-9_-]{0,31}):(?<secret>\$(?:1|5|6|y)\$[^:\s$]{1,64}\$[./0-9A-Za-z]{22,86}):\d{0,6}:/m, validators: ['password-hash'], minEntropy: 0,
    references: ['https://man7.org/linux/man-pages/man5/shadow.5.html'],
    examples: { positive: [{ template: 'root:$6${lalnum:16}${[./0-9A-Za-z]:86}:19000:0:99999:7:::\n', path: 'etc/shadow' }], negative: [{ template: 'root:*:19000:0:99999:7:::\nsed -e "s/$1$2/x/":0:\n', path: 'etc/shadow' }] },
  },
  {
    id: 'pkcs12-keystore', title: 'PKCS#12 keystore (.p12 / .pfx), binary or base64', provider: 'crypto', family: 'private-key', keywords: ['ibazcc'], identityKind: 'key-holder',
    pattern: /(?<![A-Za-z0-9+/])MII[A-Za-z0-9+/]{2}[AQgw]IBAzCC[A-Za-z0-9+/]{100,20000}={0,2}/, validators: ['pkcs12-structure'], confidence: 'validated', priority: 55, minEntropy: 0,
    window: { charsAfter: 20000 }, references: ['https://www.rfc-editor.org/rfc/rfc7292', ref.gitleaks('privatekey')],
    examples: { positive: ['KEYSTORE_P12={pkcs12}\n'], negative: ['KEYSTORE_P12=MIIKIgIBAzCC{b64:60}\n'] },
  },
  {
    id: 'java-keystore', title: 'Java keystore (JKS / JCEKS), binary or base64', provider: 'crypto', family: 'private-key', keywords: ['/u3+7qaaaa', 'zs7ozgaaaa'], identityKind: 'key-holder',
    pattern: /(?<![A-Za-z0-9+/])(?:\/u3\+7QAAAA|zs7OzgAAAA)[A-Za-z0-9+/]{100,20000}={0,2}/, validators: ['java-keystore'], confidence: 'validated', priority: 55, minEntropy: 0,
    window: { charsAfter: 20000 }, references: ['https://docs.oracle.com/en/java/javase/21/docs/specs/man/keytool.html'],
    examples: { positive: ['keystore: {jks}\n', 'keystore: {jks:jceks}\n'], negative: ['keystore: /u3+7QAAAA{b64:20}\n'] },
  },
  {
    id: 'private-key-base64-pem', title: 'Private key PEM encoded as base64 (Kubernetes data, CI variables)', provider: 'crypto', family: 'private-key', keywords: ['ls0tls1crudjti'], identityKind: 'key-holder',
    pattern: /(?<![A-Za-z0-9+/])LS0tLS1CRUdJTi[A-Za-z0-9+/]{100,16384}={0,2}/, validators: ['base64-pem-key'], confidence: 'validated', priority: 54, minEntropy: 0,
    window: { charsAfter: 20000 }, references: [ref.kingfisher('pem')],
    examples: { positive: ['SIGNING_KEY_B64={b64pem:rsa-pkcs8}\n'], negative: ['CA_CERT_B64=LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t{b64:200}\n'] },
  },
]);
