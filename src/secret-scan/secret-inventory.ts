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

export function secretCredentials(located: LocatedHit[], sourceSpec: string): Credential[] {
  const bySecret = new Map<string, { best: RedactedHit; locations: Map<string, Location> }>();
  for (const { hit, location } of located) {
    let entry = bySecret.get(hit.hash);
    if (!entry) {
      entry = { best: hit, locations: new Map() };
      bySecret.set(hit.hash, entry);
    } else if (SEVERITY_RANK[hit.severity] > SEVERITY_RANK[entry.best.severity] || (hit.confidence === 'high' && entry.best.confidence !== 'high')) {
      entry.best = hit; // a specific detector beats a generic one for the same value
    }
    // One location per repository and path: the earliest introduction wins; later edits of the same
    // file that keep the secret are the same leak.
    const key = `${location.repository ?? ''}\u0000${location.path}`;
    const previous = entry.locations.get(key);
    if (!previous || compareLocations(location, previous) < 0) {
      // A file name is chosen by whoever wrote the tree: cleaned like any metadata before a report shows it.
      entry.locations.set(key, {
        ...location,
        path: cleanMetadata(location.path),
        presentAtHead: (previous?.presentAtHead || location.presentAtHead) ?? location.presentAtHead,
      });
    } else if (location.presentAtHead) previous.presentAtHead = true;
  }
  const credentials: Credential[] = [];
  for (const [hash, { best, locations }] of bySecret) {
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
      locations: [...locations.values()].sort(compareLocations),
      secret,
      attributes: {
        detectorTitle: best.title,
        identityKind: best.identityKind ?? null,
        confidence: best.confidence,
        severity: best.severity,
      },
      source: sourceSpec,
    });
  }
  return credentials.sort((a, b) => (a.id < b.id ? -1 : 1));
}
