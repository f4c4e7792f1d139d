import { SEVERITIES, type Credential, type Location, type Severity } from '../../src/model/index.js';

/** Secrets found in code (git history, working trees...): the credentials the secret rules judge. */
export function isLeakedSecret(credential: Credential): credential is Credential & { secret: NonNullable<Credential['secret']> } {
  return credential.kind === 'leaked-secret' && Boolean(credential.secret);
}

/** One step up or down the severity scale, clamped. */
export function shiftSeverity(severity: Severity, steps: number): Severity {
  const index = SEVERITIES.indexOf(severity) - steps; // SEVERITIES runs from critical (0) to info
  return SEVERITIES[Math.max(0, Math.min(SEVERITIES.length - 1, index))]!;
}

/** The lower / higher of two severities. */
export function minSeverity(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
}
export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;
}

export type Assurance = 'validated' | 'structured' | 'generic';

/** validated / structured / generic; reports written before it existed are read from the old high/medium/low. */
export function assuranceOf(credential: Credential): Assurance {
  const value = credential.attributes.assurance;
  if (value === 'validated' || value === 'structured' || value === 'generic') return value;
  const detector = credential.secret?.detector ?? '';
  if (detector.startsWith('generic-')) return 'generic';
  return credential.attributes.confidence === 'high' && !/url|password|connection-string|netrc/.test(detector) ? 'validated' : 'structured';
}

export function detectorSeverity(credential: Credential): Severity {
  const value = credential.attributes.severity;
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value) ? (value as Severity) : 'high';
}

/** Where a repository-less location lives: its source (a `dir:` path) stands in for the repository. */
export function repositoryOf(location: Location): string {
  return location.repository ?? location.source;
}

export function shortCommit(commit: string | undefined): string | undefined {
  return commit?.slice(0, 12);
}

/** `sha256:1a2b3c4d5e6f` — enough to match against an allowlist or another report, never the value. */
export function hashPrefix(hash: string): string {
  return hash.slice(0, 19);
}
