/** GitHub: classic, OAuth, App and fine-grained tokens (classic formats carry a CRC-32 checksum). */
import type { DetectorEntry } from '../detector.js';
import { ALNUM, entries, ref } from './patterns.js';

const FORMATS = 'https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/';
const REFS = [FORMATS, ref.gitleaks('github'), ref.kingfisher('github')];

/** `ghX_` + 30 random + 6-char base62 CRC-32: the positive must carry a valid checksum, the look-alike a wrong one. */
function checksummed(kind: string): DetectorEntry['examples'] {
  return { positive: [`token: gh${kind}_{alnum:30}{crc32}\n`], negative: [`token: gh${kind}_{alnum:36}\n`, `token: gh${kind}_{rep:x:36}\n`] };
}

export const githubDetectors: DetectorEntry[] = [
  ...entries({ provider: 'github', validators: ['crc32-checksum'], confidence: 'validated', hitConfidence: 'high', references: REFS }, [
    {
      id: 'github-pat-classic',
      title: 'GitHub personal access token (classic)',
      prefix: 'ghp_',
      body: ALNUM,
      min: 36,
      identityKind: 'github-user',
      examples: checksummed('p'),
    },
    {
      id: 'github-oauth-token',
      title: 'GitHub OAuth access token',
      prefix: 'gho_',
      body: ALNUM,
      min: 36,
      identityKind: 'github-oauth-app',
      examples: checksummed('o'),
    },
    {
      id: 'github-user-to-server-token',
      title: 'GitHub App user-to-server token',
      prefix: 'ghu_',
      body: ALNUM,
      min: 36,
      identityKind: 'github-app',
      examples: checksummed('u'),
    },
    {
      id: 'github-server-to-server-token',
      title: 'GitHub App installation token',
      prefix: 'ghs_',
      body: ALNUM,
      min: 36,
      identityKind: 'github-app-installation',
      severity: 'medium',
      examples: checksummed('s'),
    },
    {
      id: 'github-refresh-token',
      title: 'GitHub App refresh token',
      prefix: 'ghr_',
      body: ALNUM,
      min: 36,
      max: 76,
      identityKind: 'github-app',
      examples: checksummed('r'),
    },
  ]),
  ...entries({ provider: 'github', references: REFS }, [
    {
      id: 'github-pat-fine-grained',
      title: 'GitHub fine-grained personal access token',
      keywords: ['github_pat_'],
      pattern: /(?<![A-Za-z0-9_-])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_-])/,
      identityKind: 'github-user',
      hitConfidence: 'high',
      examples: { positive: ['GH_TOKEN={gen:fakeGithubFineGrainedPat}\n'], negative: ['GH_TOKEN=github_pat_{alnum:22}_{alnum:30}\n'] },
    },
  ]),
];
