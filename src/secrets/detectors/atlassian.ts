/** Atlassian: Cloud API tokens, Bitbucket app passwords, legacy unprefixed tokens. */
import type { DetectorEntry } from '../detector.js';
import { entries, named, ref } from './patterns.js';

const REFS = [
  'https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/',
  ref.gitleaks('atlassian'),
  ref.kingfisher('atlassian'),
];

export const atlassianDetectors: DetectorEntry[] = entries({ provider: 'atlassian', references: REFS }, [
  {
    id: 'atlassian-api-token',
    title: 'Atlassian API token',
    prefix: 'ATATT3',
    body: 'A-Za-z0-9_\\-=',
    min: 150,
    max: 300,
    identityKind: 'atlassian-user',
    examples: { positive: ['JIRA_TOKEN={gen:fakeAtlassianToken}\n'], negative: ['JIRA_TOKEN=ATATT3{b64url:60}\n'] },
  },
  { id: 'bitbucket-app-password', title: 'Bitbucket app password', prefix: 'ATBB', body: 'A-Za-z0-9_=.\\-', min: 28, max: 40, identityKind: 'bitbucket-user' },
  {
    id: 'atlassian-api-token-legacy',
    title: 'Atlassian API token (legacy, unprefixed)',
    family: 'contextual',
    keywords: ['atlassian', 'jira', 'confluence'],
    pattern: named('atlassian|jira|confluence', '[A-Za-z0-9]{24}'),
    validators: ['token-words-on-line'],
    severity: 'medium',
    identityKind: 'atlassian-user',
    examples: { positive: ['JIRA_API_TOKEN={alnum:24}\n'], negative: ['JIRA_PROJECT_ID={alnum:24}\n', 'JIRA_API_TOKEN={alnum:12}\n'] },
  },
]);
