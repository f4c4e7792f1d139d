/** GitLab: personal/project/group, runner, deploy, CI job, agent, OAuth, SCIM and feed tokens. */
import type { DetectorEntry } from '../detector.js';
import { B64URL, entries, ref } from './patterns.js';

const REFS = ['https://docs.gitlab.com/security/tokens/', ref.gitleaks('gitlab'), ref.kingfisher('gitlab')];

export const gitlabDetectors: DetectorEntry[] = entries({ provider: 'gitlab', identityKind: 'gitlab-user', references: REFS }, [
  {
    id: 'gitlab-pat',
    title: 'GitLab personal/project/group access token',
    keywords: ['glpat-'],
    pattern: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,300}(?:\.[0-9a-z]{2}\.[0-9a-z]{7,10})?(?![A-Za-z0-9_.-])/,
    examples: {
      positive: ['GITLAB_TOKEN={gen:fakeGitlabPat}\n', 'GITLAB_TOKEN=glpat-{b64url:27}.01.{lalnum:9}\n'],
      negative: ['GITLAB_TOKEN=glpat-{b64url:12}\n'],
    },
  },
  { id: 'gitlab-pipeline-trigger-token', title: 'GitLab pipeline trigger token', prefix: 'glptt-', body: '0-9a-f', min: 40, severity: 'medium' },
  {
    id: 'gitlab-runner-registration-token',
    title: 'GitLab runner registration token',
    prefix: 'GR1348941',
    body: B64URL,
    min: 20,
    max: 40,
    severity: 'medium',
    identityKind: 'gitlab-runner',
  },
  {
    id: 'gitlab-runner-auth-token',
    title: 'GitLab runner authentication token',
    prefix: 'glrt-',
    body: B64URL,
    min: 20,
    max: 300,
    identityKind: 'gitlab-runner',
  },
  { id: 'gitlab-deploy-token', title: 'GitLab deploy token', prefix: 'gldt-', body: B64URL, min: 20, max: 300, identityKind: 'gitlab-deploy-token' },
  { id: 'gitlab-oauth-app-secret', title: 'GitLab OAuth application secret', prefix: 'gloas-', body: B64URL, min: 64, identityKind: 'gitlab-oauth-app' },
  { id: 'gitlab-feed-token', title: 'GitLab feed token', prefix: 'glft-', body: B64URL, min: 20, max: 300, severity: 'low' },
  { id: 'gitlab-agent-token', title: 'GitLab agent for Kubernetes token', prefix: 'glagent-', body: B64URL, min: 50, max: 300, identityKind: 'gitlab-agent' },
  { id: 'gitlab-scim-token', title: 'GitLab SCIM token', prefix: 'glsoat-', body: B64URL, min: 20, max: 300 },
  {
    id: 'gitlab-ci-job-token',
    title: 'GitLab CI/CD job token',
    keywords: ['glcbt-'],
    severity: 'medium',
    pattern: /(?<![A-Za-z0-9_-])glcbt-[0-9a-fA-F]{1,5}_[A-Za-z0-9_-]{20,300}(?![A-Za-z0-9_-])/,
    examples: { positive: ['CI_JOB_TOKEN=glcbt-64_{b64url:20}\n'], negative: ['CI_JOB_TOKEN=glcbt-64_{b64url:10}\n'] },
  },
]);
