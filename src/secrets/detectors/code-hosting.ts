/** Source hosting, CI and package registries. */
import type { DetectorDef } from '../detector.js';
import { decodePypiMacaroon } from '../structure.js';
import { all, checksumValidator, defs, named, prefixed, contextHas } from './helpers.js';

const ALNUM = 'A-Za-z0-9';
const B64URL = 'A-Za-z0-9_\\-';

const github = defs({ provider: 'github', validate: checksumValidator, confidence: 'high' }, [
  { id: 'github-pat-classic', title: 'GitHub personal access token (classic)', keywords: ['ghp_'], pattern: prefixed('ghp_', ALNUM, 36), identityKind: 'github-user' },
  { id: 'github-oauth-token', title: 'GitHub OAuth access token', keywords: ['gho_'], pattern: prefixed('gho_', ALNUM, 36), identityKind: 'github-oauth-app' },
  { id: 'github-user-to-server-token', title: 'GitHub App user-to-server token', keywords: ['ghu_'], pattern: prefixed('ghu_', ALNUM, 36), identityKind: 'github-app' },
  { id: 'github-server-to-server-token', title: 'GitHub App installation token', keywords: ['ghs_'], pattern: prefixed('ghs_', ALNUM, 36), identityKind: 'github-app-installation', severity: 'medium' },
  { id: 'github-refresh-token', title: 'GitHub App refresh token', keywords: ['ghr_'], pattern: prefixed('ghr_', ALNUM, 36, 76), identityKind: 'github-app' },
]);

const githubFineGrained: DetectorDef = {
  id: 'github-pat-fine-grained', title: 'GitHub fine-grained personal access token', provider: 'github', family: 'structured-token',
  keywords: ['github_pat_'], pattern: /(?<![A-Za-z0-9_-])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_-])/,
  severity: 'high', identityKind: 'github-user', confidence: 'high',
};

const gitlab = defs({ provider: 'gitlab', identityKind: 'gitlab-user' }, [
  { id: 'gitlab-pat', title: 'GitLab personal/project/group access token', keywords: ['glpat-'], pattern: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,300}(?:\.[0-9a-z]{2}\.[0-9a-z]{7,10})?(?![A-Za-z0-9_.-])/ },
  { id: 'gitlab-pipeline-trigger-token', title: 'GitLab pipeline trigger token', keywords: ['glptt-'], pattern: prefixed('glptt-', '0-9a-f', 40), severity: 'medium' },
  { id: 'gitlab-runner-registration-token', title: 'GitLab runner registration token', keywords: ['gr1348941'], pattern: prefixed('GR1348941', B64URL, 20, 40), severity: 'medium', identityKind: 'gitlab-runner' },
  { id: 'gitlab-runner-auth-token', title: 'GitLab runner authentication token', keywords: ['glrt-'], pattern: prefixed('glrt-', B64URL, 20, 300), identityKind: 'gitlab-runner' },
  { id: 'gitlab-deploy-token', title: 'GitLab deploy token', keywords: ['gldt-'], pattern: prefixed('gldt-', B64URL, 20, 300), identityKind: 'gitlab-deploy-token' },
  { id: 'gitlab-oauth-app-secret', title: 'GitLab OAuth application secret', keywords: ['gloas-'], pattern: prefixed('gloas-', B64URL, 64), identityKind: 'gitlab-oauth-app' },
  { id: 'gitlab-feed-token', title: 'GitLab feed token', keywords: ['glft-'], pattern: prefixed('glft-', B64URL, 20, 300), severity: 'low' },
  { id: 'gitlab-agent-token', title: 'GitLab agent for Kubernetes token', keywords: ['glagent-'], pattern: prefixed('glagent-', B64URL, 50, 300), identityKind: 'gitlab-agent' },
  { id: 'gitlab-scim-token', title: 'GitLab SCIM token', keywords: ['glsoat-'], pattern: prefixed('glsoat-', B64URL, 20, 300) },
  { id: 'gitlab-ci-job-token', title: 'GitLab CI/CD job token', keywords: ['glcbt-'], pattern: /(?<![A-Za-z0-9_-])glcbt-[0-9a-fA-F]{1,5}_[A-Za-z0-9_-]{20,300}(?![A-Za-z0-9_-])/, severity: 'medium' },
]);

const atlassian = defs({ provider: 'atlassian' }, [
  { id: 'atlassian-api-token', title: 'Atlassian API token', keywords: ['atatt3'], pattern: prefixed('ATATT3', 'A-Za-z0-9_\\-=', 150, 300), identityKind: 'atlassian-user' },
  { id: 'bitbucket-app-password', title: 'Bitbucket app password', keywords: ['atbb'], pattern: prefixed('ATBB', 'A-Za-z0-9_=.\\-', 28, 40), identityKind: 'bitbucket-user' },
  { id: 'atlassian-api-token-legacy', title: 'Atlassian API token (legacy, unprefixed)', family: 'contextual', keywords: ['atlassian', 'jira', 'confluence'],
    pattern: named('atlassian|jira|confluence', '[A-Za-z0-9]{24}'), validate: contextHas(/token|api[_-]?key|password/i, 0), severity: 'medium', identityKind: 'atlassian-user' },
]);

const registries: DetectorDef[] = [
  ...defs({ provider: 'npm', identityKind: 'npm-user' }, [
    { id: 'npm-access-token', title: 'npm access token', keywords: ['npm_'], pattern: prefixed('npm_', ALNUM, 36), validate: checksumValidator, confidence: 'high' },
  ]),
  {
    id: 'pypi-api-token', title: 'PyPI API token', provider: 'pypi', family: 'structured-token', keywords: ['pypi-age'],
    pattern: prefixed('pypi-AgE', B64URL, 50, 1000), severity: 'high', identityKind: 'pypi-user', confidence: 'high',
    validate: (value) => {
      const facts = decodePypiMacaroon(value);
      return facts ? { confidence: 'high', decoded: { location: facts.location }, ...(facts.location === 'test.pypi.org' ? { severity: 'low' as const } : {}) } : null;
    },
  },
  ...defs({}, [
    { id: 'rubygems-api-key', title: 'RubyGems API key', provider: 'rubygems', keywords: ['rubygems_'], pattern: prefixed('rubygems_', '0-9a-f', 48) },
    { id: 'nuget-api-key', title: 'NuGet API key', provider: 'nuget', keywords: ['oy2'], pattern: prefixed('oy2', 'a-z0-9', 43) },
    { id: 'crates-io-token', title: 'crates.io API token', provider: 'crates.io', keywords: ['cio'], pattern: /(?<![A-Za-z0-9_-])cio[a-zA-Z0-9]{32}(?![A-Za-z0-9_-])/, minEntropy: 3.5, keywordContext: { after: { min: 32, chars: 'a-zA-Z0-9' } } },
    { id: 'dockerhub-pat', title: 'Docker Hub personal access token', provider: 'docker', keywords: ['dckr_pat_'], pattern: prefixed('dckr_pat_', B64URL, 27, 40), identityKind: 'dockerhub-user' },
    { id: 'dockerhub-org-token', title: 'Docker Hub organization access token', provider: 'docker', keywords: ['dckr_oat_'], pattern: prefixed('dckr_oat_', B64URL, 27, 40) },
    { id: 'clojars-token', title: 'Clojars deploy token', provider: 'clojars', keywords: ['clojars_'], pattern: prefixed('CLOJARS_', 'a-z0-9', 60) },
    { id: 'jfrog-api-key', title: 'JFrog Artifactory API key', provider: 'jfrog', keywords: ['akcp'], pattern: prefixed('AKCp', ALNUM, 69) },
    { id: 'jfrog-reference-token', title: 'JFrog reference token', provider: 'jfrog', keywords: ['cmvmdgtu'], pattern: prefixed('cmVmdGtu', ALNUM, 56, 80) },
    { id: 'buildkite-agent-token', title: 'Buildkite user access token', provider: 'buildkite', keywords: ['bkua_'], pattern: prefixed('bkua_', '0-9a-f', 40) },
    { id: 'circleci-pat', title: 'CircleCI personal API token', provider: 'circleci', keywords: ['ccipat_'], pattern: /(?<![A-Za-z0-9_-])CCIPAT_[A-Za-z0-9]{22}_[0-9a-f]{40}(?![A-Za-z0-9_-])/ },
    { id: 'sourcegraph-token', title: 'Sourcegraph access token', provider: 'sourcegraph', keywords: ['sgp_'], pattern: /(?<![A-Za-z0-9_-])sgp_(?:[0-9a-f]{16}|local)_[0-9a-f]{40}(?![A-Za-z0-9_-])/ },
    { id: 'pulumi-access-token', title: 'Pulumi access token', provider: 'pulumi', keywords: ['pul-'], pattern: prefixed('pul-', '0-9a-f', 40) },
    { id: 'doppler-token', title: 'Doppler token', provider: 'doppler', keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.'], pattern: /(?<![A-Za-z0-9_.-])dp\.(?:pt|st|sa|ct)\.[A-Za-z0-9]{40,44}(?![A-Za-z0-9_-])/ },
    { id: 'prefect-api-key', title: 'Prefect API key', provider: 'prefect', keywords: ['pnu_'], pattern: prefixed('pnu_', ALNUM, 36) },
  ]),
  {
    id: 'npmrc-auth-token', title: 'npm registry auth token in .npmrc', provider: 'npm', family: 'contextual', keywords: ['_authtoken'],
    pattern: /_authToken\s{0,3}=\s{0,3}(?<secret>[A-Za-z0-9_\-.+/=]{20,600})(?![A-Za-z0-9_\-.+/=])/i,
    validate: all((v) => (/^\$\{?/.test(v) ? null : {})), severity: 'high', identityKind: 'npm-user',
  },
];

export const codeHostingDetectors: DetectorDef[] = [...github, githubFineGrained, ...gitlab, ...atlassian, ...registries];
