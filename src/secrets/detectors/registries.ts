/** Package registries and their clients: npm, PyPI, RubyGems, NuGet, crates.io, Docker Hub, Clojars, JFrog. */
import type { DetectorEntry } from '../detector.js';
import { ALNUM, B64URL, entries, entry, prefixed, ref } from './patterns.js';

export const registryDetectors: DetectorEntry[] = [
  ...entries({ provider: 'npm', identityKind: 'npm-user' }, [
    {
      id: 'npm-access-token', title: 'npm access token', prefix: 'npm_', body: ALNUM, min: 36, validators: ['crc32-checksum'], confidence: 'validated', hitConfidence: 'high',
      references: ['https://docs.npmjs.com/about-access-tokens', ref.gitleaks('npm'), ref.kingfisher('npm')],
      examples: { positive: ['NPM_TOKEN=npm_{alnum:30}{crc32}\n'], negative: ['NPM_TOKEN=npm_{alnum:36}\n'] },
    },
    {
      id: 'npmrc-auth-token', title: 'npm registry auth token in .npmrc', family: 'contextual', keywords: ['_authtoken'],
      pattern: /_authToken\s{0,3}=\s{0,3}(?<secret>[A-Za-z0-9_\-.+/=]{20,600})(?![A-Za-z0-9_\-.+/=])/i, validators: ['not-reference'],
      references: ['https://docs.npmjs.com/cli/v10/configuring-npm/npmrc#auth-related-configuration', ref.kingfisher('npm')],
      examples: {
        positive: [{ template: '//registry.npmjs.org/:_authToken={b64url:40}\n', path: '.npmrc' }, { template: '//npm.corp.internal/:_authToken={uuid}\n', path: '.npmrc' }],
        negative: [{ template: '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n', path: '.npmrc' }],
      },
    },
  ]),
  entry({
    id: 'pypi-api-token', title: 'PyPI API token', provider: 'pypi', keywords: ['pypi-age'],
    pattern: prefixed('pypi-AgE', B64URL, 50, 1000), identityKind: 'pypi-user', hitConfidence: 'high', validators: ['pypi-macaroon'], confidence: 'validated',
    references: ['https://pypi.org/help/#apitoken', ref.gitleaks('pypi'), ref.kingfisher('pypi')],
    examples: { positive: ['password = {gen:fakePypiToken}\n'], negative: ['password = pypi-AgE{b64url:80}\n'] },
  }),
  ...entries({}, [
    { id: 'rubygems-api-key', title: 'RubyGems API key', provider: 'rubygems', prefix: 'rubygems_', body: '0-9a-f', min: 48, references: [ref.gitleaks('rubygems'), ref.kingfisher('rubygems')] },
    { id: 'nuget-api-key', title: 'NuGet API key', provider: 'nuget', prefix: 'oy2', body: 'a-z0-9', min: 43, references: [ref.gitleaks('nuget'), ref.kingfisher('nuget')] },
    {
      id: 'crates-io-token', title: 'crates.io API token', provider: 'crates.io', keywords: ['cio'], pattern: /(?<![A-Za-z0-9_-])cio[a-zA-Z0-9]{32}(?![A-Za-z0-9_-])/, minEntropy: 3.5,
      keywordContext: { after: { min: 32, chars: 'a-zA-Z0-9' } }, references: ['https://doc.rust-lang.org/cargo/reference/registry-authentication.html', ref.kingfisher('crates.io')],
      examples: { positive: ['token = "cio{alnum:32}"\n'], negative: ['token = "cio{alnum:20}"\n', 'ratio{rep:a:32}\n'] },
    },
    { id: 'dockerhub-pat', title: 'Docker Hub personal access token', provider: 'docker', prefix: 'dckr_pat_', body: B64URL, min: 27, max: 40, identityKind: 'dockerhub-user', references: [ref.kingfisher('dockerhub')] },
    { id: 'dockerhub-org-token', title: 'Docker Hub organization access token', provider: 'docker', prefix: 'dckr_oat_', body: B64URL, min: 27, max: 40, references: [ref.kingfisher('dockerhub')] },
    { id: 'clojars-token', title: 'Clojars deploy token', provider: 'clojars', prefix: 'CLOJARS_', body: 'a-z0-9', min: 60, references: [ref.gitleaks('clojars')] },
    { id: 'jfrog-api-key', title: 'JFrog Artifactory API key', provider: 'jfrog', prefix: 'AKCp', body: ALNUM, min: 69, references: [ref.gitleaks('jfrog')] },
    { id: 'jfrog-reference-token', title: 'JFrog reference token', provider: 'jfrog', prefix: 'cmVmdGtu', body: ALNUM, min: 56, max: 80, references: [ref.gitleaks('jfrog')] },
  ]),
];
