import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf, type Location } from '../../src/model/index.js';
import { detectorSeverity, hashPrefix, isLeakedSecret, repositoryOf, shiftSeverity, shortCommit } from './common.js';

const options = z
  .object({
    /** Raise one step when the secret is still in the current tree (HEAD or the working directory). */
    raiseWhenPresent: z.boolean().default(true),
    /** Lower one step when the secret was removed and lives only in history. */
    lowerWhenHistoryOnly: z.boolean().default(true),
    /** Lower one step for low-confidence (generic) detections. */
    lowerLowConfidence: z.boolean().default(true),
  })
  .strict();

/** Still in the current files: at HEAD for git, always for a working-tree scan (no history there). */
function isPresent(locations: Location[]): boolean {
  return locations.some((l) => l.presentAtHead === true || (l.presentAtHead === undefined && !l.commit));
}

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'leaked-secret',
    title: 'Secret leaked in code',
    category: 'leaked-secret',
    defaultSeverity: 'high',
    owasp: ['NHI2'],
    optionsSchema: options,
    providers: ['git', 'dir'],
    description:
      'A credential was committed to a repository or left in files. Anyone who can read the repository, any of its clones, forks, CI caches or backups (and, for public repositories, the whole internet within minutes) can use it. Removing it in a later commit does not help: the value stays in history. Severity follows the detector (a private key or cloud key outranks a test token), one step higher while the secret is still in the current tree, one step lower when it only survives in history.',
    remediation:
      "Treat the secret as compromised: revoke or rotate it at its provider first, then check the provider's logs for use since the introducing commit. Remove it from the code and load it from a secret manager or the CI platform's secret store instead. Rewriting history (git filter-repo) is optional once the secret is revoked. If it is a test fixture or a known fake, add its hash to settings.secrets.allowlist.hashes or mark the line with `nhiscan:ignore`.",
  },
  check(inventory, opts) {
    const findings: FindingDraft[] = [];
    for (const credential of inventory.credentials) {
      if (!isLeakedSecret(credential)) continue;
      const byPath = new Map<string, Location[]>();
      for (const location of credential.locations ?? []) {
        const key = `${repositoryOf(location)}:${location.path}`;
        byPath.set(key, [...(byPath.get(key) ?? []), location]);
      }
      for (const [key, locations] of byPath) {
        // The introducing location: the oldest commit (locations without a date come last).
        const first = [...locations].sort((a, b) => (a.date ?? '\uffff').localeCompare(b.date ?? '\uffff') || (a.line ?? 0) - (b.line ?? 0))[0]!;
        const present = isPresent(locations);
        const historyOnly = locations.every((l) => l.presentAtHead === false);
        let severity = detectorSeverity(credential);
        if (present && opts.raiseWhenPresent) severity = shiftSeverity(severity, 1);
        if (historyOnly && opts.lowerWhenHistoryOnly) severity = shiftSeverity(severity, -1);
        if (credential.attributes.confidence === 'low' && opts.lowerLowConfidence) severity = shiftSeverity(severity, -1);
        const { secret } = credential;
        const title = String(credential.attributes.detectorTitle ?? secret.detector);
        const where = `${first.path}${first.line ? `:${first.line}` : ''}`;
        const intro = first.commit
          ? ` introduced in commit ${shortCommit(first.commit)}${first.author ? ` by ${first.author}${first.authorEmail ? ` <${first.authorEmail}>` : ''}` : ''}${first.date ? ` on ${first.date.slice(0, 10)}` : ''}`
          : '';
        const state =
          first.commit || locations.some((l) => l.presentAtHead !== undefined)
            ? present
              ? '; still present at HEAD'
              : '; removed from HEAD but still in history'
            : '';
        findings.push({
          resource: refOf(credential),
          key,
          severity,
          title: `${title} leaked in ${first.path}`,
          message: `${title} (${secret.detector}) ${secret.preview} [${hashPrefix(secret.hash)}] in ${where}${intro}${state}.`,
          location: { path: first.path, line: first.line, commit: first.commit, repository: first.repository },
          evidence: {
            detector: secret.detector,
            preview: secret.preview,
            hash: secret.hash,
            presentAtHead: present,
            introducedBy: first.author ?? null,
            introducedByEmail: first.authorEmail ?? null,
            introducedAt: first.date ?? null,
            commit: first.commit ?? null,
            confidence: credential.attributes.confidence ?? null,
            ...(secret.decoded ? { decoded: secret.decoded } : {}),
          },
        });
      }
    }
    return findings;
  },
});
