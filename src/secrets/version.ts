/**
 * The detector set version (builtinDetectorSetVersion): a hash of everything that decides what a scan finds — every detector's
 * definition (pattern, keywords, windows, severities, validator source) plus the shared scoring
 * code and thresholds — so the git blob cache is invalidated by any detector change, without anyone
 * having to remember to bump a number.
 */
import { createHash } from 'node:crypto';
import type { DetectorDef } from './detector.js';
import { GENERIC_THRESHOLDS, scoreGenericValue } from './validators/generic.js';
import { SecretScanner } from './engine.js';
import * as structure from './structure.js';
import * as valueChecks from './value-checks.js';
import * as paths from './paths.js';
import { validatorNamed } from './validators/index.js';
import * as cloudValidators from './validators/cloud.js';
import * as commonValidators from './validators/common.js';
import * as dataStoreValidators from './validators/data-stores.js';
import * as formatValidators from './validators/formats.js';
import * as keyValidators from './validators/keys.js';
import * as genericValidators from './validators/generic.js';
import { INLINE_IGNORE, NEXT_LINE_IGNORE } from './ignore.js';

/** Bump when engine behaviour changes in a way the hashed sources below do not capture. */
export const ENGINE_REVISION = 2;

function describe(def: DetectorDef): unknown {
  return {
    id: def.id,
    title: def.title,
    provider: def.provider,
    family: def.family,
    keywords: def.keywords,
    pattern: [def.pattern.source, def.pattern.flags],
    severity: def.severity,
    identityKind: def.identityKind,
    confidence: def.confidence,
    hitConfidence: def.hitConfidence,
    window: def.window,
    priority: def.priority,
    minEntropy: def.minEntropy,
    excludePaths: def.excludePaths?.source,
    skipForeignCode: def.skipForeignCode,
    anchor: def.anchor,
    keywordContext: def.keywordContext,
    validators: def.validators?.map((name) => [name, validatorNamed(name)?.toString()]),
    validate: def.validators ? undefined : def.validate?.toString(),
  };
}

function sourcesOf(mod: Record<string, unknown>): string[] {
  return Object.keys(mod)
    .sort()
    .map((k) => {
      const v = mod[k];
      if (typeof v === 'function') return `${k}:${v.toString()}`;
      if (v instanceof RegExp) return `${k}:${v.source}/${v.flags}`;
      if (v instanceof Set) return `${k}:${[...v].join(',')}`;
      return `${k}:${JSON.stringify(v) ?? ''}`;
    });
}

export function detectorSetVersion(detectors: readonly DetectorDef[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(detectors.map(describe)));
  h.update(JSON.stringify(GENERIC_THRESHOLDS));
  h.update(scoreGenericValue.toString());
  h.update(SecretScanner.toString());
  // Named validators are hashed by their modules' sources (a validator's code changes the version).
  const validatorModules = [cloudValidators, commonValidators, dataStoreValidators, formatValidators, keyValidators, genericValidators];
  for (const s of [...sourcesOf(structure), ...sourcesOf(valueChecks), ...sourcesOf(paths), ...validatorModules.flatMap(sourcesOf)]) h.update(s);
  h.update(INLINE_IGNORE.source + NEXT_LINE_IGNORE.source);
  return `${ENGINE_REVISION}.${detectors.length}.${h.digest('hex').slice(0, 16)}`;
}
