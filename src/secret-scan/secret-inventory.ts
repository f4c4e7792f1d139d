/**
 * Turns located hits into inventory credentials: one credential per distinct secret (keyed by the
 * hash of its value), carrying every place it was seen. The engine merges credentials with the same
 * id across sources, so the same secret in two repositories becomes one credential with both locations.
 */
import { cleanMetadata } from '../metadata.js';
import { makeId, SEVERITY_RANK, type Credential, type Location } from '../model/index.js';
import type { RedactedHit } from './redacted-hit.js';

export interface LocatedHit {
  hit: RedactedHit;
  location: Location;
}

export function secretCredentialId(hash: string): string {
  return makeId('secret', 'leaked-secret', hash.replace(/^sha256:/, ''));
}

/** Orders locations oldest first (by commit date), then by path and line, for stable reports. */
function compareLocations(a: Location, b: Location): number {
  if (a.date && b.date && a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return (a.line ?? 0) - (b.line ?? 0);
}

const ASSURANCE_RANK = { generic: 0, structured: 1, validated: 2 } as const;

/** The better of two hits of one value: a validated or specific detector beats a generic one. */
function better(hit: RedactedHit, than: RedactedHit): boolean {
  const a = ASSURANCE_RANK[hit.assurance ?? 'structured'],
    b = ASSURANCE_RANK[than.assurance ?? 'structured'];
  if (a !== b) return a > b;
  return SEVERITY_RANK[hit.severity] > SEVERITY_RANK[than.severity] || (hit.confidence === 'high' && than.confidence !== 'high');
}

/**
 * Places of one secret in one file: every line of the version that introduced it (the oldest commit,
 * or the working tree). Later commits keeping the secret in the same file are the same leak.
 */
interface FilePlaces {
  commit: string | undefined;
  first: Location;
  lines: Map<string, Location>;
}

function addPlace(files: Map<string, FilePlaces>, location: Location): void {
  const key = `${location.repository ?? ''}\u0000${location.path}`;
  const lineKey = `${location.line ?? 0}:${location.column ?? 0}`;
  const entry = files.get(key);
  if (!entry || (compareLocations(location, entry.first) < 0 && location.commit !== entry.commit)) {
    const present = Boolean(entry && [...entry.lines.values()].some((l) => l.presentAtHead)) || location.presentAtHead;
    const lines = new Map([[lineKey, { ...location, ...(present !== undefined ? { presentAtHead: present } : {}) }]]);
    files.set(key, { commit: location.commit, first: location, lines });
    return;
  }
  if (location.commit === entry.commit && !entry.lines.has(lineKey)) entry.lines.set(lineKey, { ...location });
  if (location.presentAtHead) for (const l of entry.lines.values()) l.presentAtHead = true;
}

export function secretCredentials(located: LocatedHit[], sourceSpec: string): Credential[] {
  const bySecret = new Map<string, { best: RedactedHit; files: Map<string, FilePlaces> }>();
  for (const { hit, location } of located) {
    let entry = bySecret.get(hit.hash);
    if (!entry) {
      entry = { best: hit, files: new Map() };
      bySecret.set(hit.hash, entry);
    } else if (better(hit, entry.best)) entry.best = hit;
    // A file name is chosen by whoever wrote the tree: cleaned like any metadata before a report shows it.
    addPlace(entry.files, { ...location, path: cleanMetadata(location.path) });
  }
  const credentials: Credential[] = [];
  for (const [hash, { best, files }] of bySecret) {
    const locations = [...files.values()].flatMap((f) => [...f.lines.values()]);
    const nativeId = hash.replace(/^sha256:/, '');
    const secret: Credential['secret'] = { detector: best.detector, hash, preview: best.preview };
    if (best.decoded) secret.decoded = best.decoded;
    credentials.push({
      id: secretCredentialId(hash),
      provider: best.provider,
      kind: 'leaked-secret',
      nativeId,
      name: `${best.title} ${best.preview}`,
      tags: {},
      status: 'unknown',
      locations: locations.sort(compareLocations),
      secret,
      attributes: {
        detectorTitle: best.title,
        identityKind: best.identityKind ?? null,
        confidence: best.confidence,
        assurance: best.assurance ?? 'structured',
        severity: best.severity,
        ...(best.testCredential ? { testCredential: true } : {}),
      },
      source: sourceSpec,
    });
  }
  return credentials.sort((a, b) => (a.id < b.id ? -1 : 1));
}
