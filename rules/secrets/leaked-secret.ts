import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { findingLocation, refOf, SEVERITY_RANK, type Credential, type Location, type Severity } from '../../src/model/index.js';
import { isBundledPath, isTestPath, isVendoredPath } from '../../src/secrets/paths.js';
import {
  assuranceOf,
  detectorSeverity,
  hashPrefix,
  isLeakedSecret,
  maxSeverity,
  minSeverity,
  repositoryOf,
  shiftSeverity,
  shortCommit,
  type Assurance,
} from './common.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  raiseWhenPresent: true,
  lowerWhenHistoryOnly: true,
  lowerLowConfidence: true,
  lowerInTestContext: true,
};
const options = lazySchema((z) =>
  z
    .object({
      /** Raise one step when the secret is still in the current tree (HEAD or the working directory). */
      raiseWhenPresent: z.boolean().default(defaults.raiseWhenPresent),
      /** Lower one step when the secret was removed and lives only in history (never below `high` for a validated credential). */
      lowerWhenHistoryOnly: z.boolean().default(defaults.lowerWhenHistoryOnly),
      /** Lower one step for low-confidence (generic) detections. */
      lowerLowConfidence: z.boolean().default(defaults.lowerLowConfidence),
      /** Lower one step, to at most medium, in test, fixture, example and docs paths, vendored code and bundles, and for provider test credentials. */
      lowerInTestContext: z.boolean().default(defaults.lowerInTestContext),
    })
    .strict(),
);

type Options = z.infer<typeof options>;

/** Still in the current files: at HEAD for git, always for a working-tree scan (no history there). */
function isPresent(locations: Location[]): boolean {
  return locations.some((l) => l.presentAtHead === true || (l.presentAtHead === undefined && !l.commit));
}

/** Places listed in a finding's evidence (the message names the first). */
const MAX_PLACES = 50;

/**
 * Why a finding sits in test context: a test/fixture/example/docs path, vendored third-party code or build
 * output (a dependency's own test keys, a bundle generated from other files), or a provider test credential.
 */
function contextOf(credential: Credential, path: string): string[] {
  const reasons: string[] = [];
  if (isTestPath(path)) reasons.push('test-path');
  if (isVendoredPath(path)) reasons.push('vendored-path');
  if (isBundledPath(path)) reasons.push('bundled-file');
  if (credential.attributes.testCredential === true) reasons.push('test-credential');
  return reasons;
}

/**
 * Severity from the detector, confidence and context. Critical is reserved for validated credentials of
 * a high-impact detector outside test context; history alone never takes a validated credential below
 * `high` (removing it from HEAD does not revoke it); test context lowers (to medium at most), never hides.
 */
export function secretSeverity(args: {
  detector: Severity;
  assurance: Assurance;
  signal: unknown;
  present: boolean;
  historyOnly: boolean;
  testContext: boolean;
  opts: Options;
  verification?: unknown;
}): Severity {
  const { detector, assurance, opts } = args;
  let severity = detector;
  if (args.present && opts.raiseWhenPresent) severity = shiftSeverity(severity, 1);
  if (args.historyOnly && opts.lowerWhenHistoryOnly) {
    const lowered = shiftSeverity(severity, -1);
    const atGate = SEVERITY_RANK[severity] >= SEVERITY_RANK.high;
    severity = assurance === 'validated' && atGate ? maxSeverity(lowered, 'high') : lowered;
  }
  if (args.signal === 'low' && opts.lowerLowConfidence) severity = shiftSeverity(severity, -1);
  const highImpact = SEVERITY_RANK[detector] >= SEVERITY_RANK.high;
  if (severity === 'critical' && !(assurance === 'validated' && highImpact && !args.testContext)) severity = 'high';
  if (args.testContext && opts.lowerInTestContext) severity = minSeverity(shiftSeverity(severity, -1), 'medium');
  // --verify: the provider's answer outranks every guess. Live is at least high (critical for a
  // high-impact detector, test folder or not); revoked is at most low: nothing left to use.
  if (args.verification === 'live') severity = maxSeverity(severity, highImpact ? 'critical' : 'high');
  if (args.verification === 'revoked') severity = minSeverity(severity, 'low');
  return severity;
}

/** --verify results, when the scan asked for them. */
function verificationEvidence(credential: Credential): Record<string, unknown> {
  const state = credential.attributes.verification;
  if (state !== 'live' && state !== 'revoked' && state !== 'unknown') return {};
  const identity = credential.attributes.verifiedIdentity;
  return {
    verification: state,
    verificationDetail: String(credential.attributes.verificationDetail ?? ''),
    ...(identity && typeof identity === 'object' ? { verifiedIdentity: identity } : {}),
  };
}

function placesOf(locations: Location[]): Array<Record<string, unknown>> {
  return locations.slice(0, MAX_PLACES).map((l) => ({
    path: l.path,
    ...(l.line ? { line: l.line } : {}),
    ...(l.commit ? { commit: l.commit } : {}),
    ...(l.presentAtHead !== undefined ? { presentAtHead: l.presentAtHead } : {}),
  }));
}

export default defineRule<Options>({
  meta: {
    id: 'leaked-secret',
    title: 'Secret leaked in code',
    category: 'leaked-secret',
    defaultSeverity: 'high',
    owasp: ['NHI2'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['git', 'dir'],
    description:
      'A credential was committed to a repository or left in files. Anyone who can read the repository, any of its clones, forks, CI caches or backups (and, for public repositories, the whole internet within minutes) can use it. Removing it in a later commit does not help: the value stays in history. Severity follows the detector (a private key or cloud key outranks a test token) and the confidence: `validated` (a checksum, decoding or key parse proved the structure), `structured` (a provider format) or `generic` (a secret-like name and a random-looking value). It is one step higher while the secret is still in the current tree, and one step lower when it only survives in history, though never below high for a validated credential, since removing it from HEAD does not revoke it. In test, fixture, example and docs paths, in vendored third-party code (`node_modules`, `site-packages`, `vendor`, virtualenvs) and bundles (`*.min.js`, `*-bundle.js`), and for credentials the provider marks as test-only, it is one step lower and at most medium: context lowers, never hides. Critical is reserved for validated credentials of high-impact detectors outside such context. With --verify, a credential its provider accepts is at least high (critical for high-impact detectors), and one it rejects is at most low.',
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
      const assurance = assuranceOf(credential);
      for (const [key, locations] of byPath) {
        // The introducing location: the oldest commit (locations without a date come last).
        const first = [...locations].sort((a, b) => (a.date ?? '\uffff').localeCompare(b.date ?? '\uffff') || (a.line ?? 0) - (b.line ?? 0))[0]!;
        const present = isPresent(locations);
        const historyOnly = locations.every((l) => l.presentAtHead === false);
        const context = contextOf(credential, first.path);
        const severity = secretSeverity({
          detector: detectorSeverity(credential),
          assurance,
          signal: credential.attributes.confidence,
          present,
          historyOnly,
          testContext: context.length > 0,
          opts,
          verification: credential.attributes.verification,
        });
        findings.push(draft(credential, key, first, locations, { severity, assurance, present, historyOnly, context }));
      }
    }
    return findings;
  },
});

function draft(
  credential: Credential & { secret: NonNullable<Credential['secret']> },
  key: string,
  first: Location,
  locations: Location[],
  judged: { severity: Severity; assurance: Assurance; present: boolean; historyOnly: boolean; context: string[] },
): FindingDraft {
  const { secret } = credential;
  const title = String(credential.attributes.detectorTitle ?? secret.detector);
  const where = `${first.path}${first.line ? `:${first.line}` : ''}`;
  const others = (credential.locations?.length ?? 1) - 1;
  const intro = first.commit
    ? ` introduced in commit ${shortCommit(first.commit)}${first.author ? ` by ${first.author}${first.authorEmail ? ` <${first.authorEmail}>` : ''}` : ''}${first.date ? ` on ${first.date.slice(0, 10)}` : ''}`
    : '';
  const tracked = first.commit || locations.some((l) => l.presentAtHead !== undefined);
  let state = '';
  if (tracked) state = judged.present ? '; still present at HEAD' : '; removed from HEAD but still in history (removing it does not revoke it)';
  const context = judged.context.length ? `; test context (${judged.context.join(', ')})` : '';
  const verification = credential.attributes.verification;
  const verified = typeof verification === 'string' ? `; verified ${verification} at the provider${verification === 'live' ? ': revoke it now' : ''}` : '';
  return {
    resource: refOf(credential),
    key,
    severity: judged.severity,
    title: `${title} leaked in ${first.path}`,
    message: `${title} (${secret.detector}, ${judged.assurance}) ${secret.preview} [${hashPrefix(secret.hash)}] in ${where}${others > 0 ? ` (and ${others} other place${others > 1 ? 's' : ''})` : ''}${intro}${state}${context}${verified}.`,
    location: findingLocation(first),
    evidence: {
      detector: secret.detector,
      preview: secret.preview,
      hash: secret.hash,
      confidence: judged.assurance,
      signal: credential.attributes.confidence ?? null,
      presentAtHead: judged.present,
      stillInHistory: Boolean(first.commit),
      context: judged.context,
      introducedBy: first.author ?? null,
      introducedByEmail: first.authorEmail ?? null,
      introducedAt: first.date ?? null,
      commit: first.commit ?? null,
      places: placesOf(credential.locations ?? []),
      ...verificationEvidence(credential),
      ...(secret.decoded ? { decoded: secret.decoded } : {}),
    },
  };
}
