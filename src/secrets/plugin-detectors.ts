/**
 * Detectors added by plugins (the `detectors` extension of the plugin API). Plugin entries are data
 * like the built-in catalogue and may use the built-in named validators; being data (no functions), they
 * reach the scan worker threads as they are. Adding them swaps the scanner the module-level functions use
 * and changes the detector-set version, so cached scan results of another detector set are not reused.
 */
import type { DetectorEntry } from './detector.js';
import { DETECTORS } from './detectors/index.js';
import { SecretScanner, checkDetector, defaultScanner } from './engine.js';
import { compileEntry } from './validators/index.js';
import { detectorSetVersion } from './version.js';

const BUILTIN_IDS = new Set(DETECTORS.map((d) => d.id));
const added = new Map<string, DetectorEntry>();
let scanner: SecretScanner = defaultScanner;
let version: string | undefined;

/**
 * Adds plugin detectors (an entry with an id added before replaces it, so loading a plugin twice is
 * harmless). Throws on an id of a built-in detector, an unknown validator name, or a pattern the engine
 * rejects, naming the detector.
 */
export function addDetectors(entries: readonly DetectorEntry[]): void {
  for (const entry of entries) {
    if (!entry || typeof entry.id !== 'string') throw new Error('a plugin detector needs an id');
    if (BUILTIN_IDS.has(entry.id)) throw new Error(`plugin detector ${entry.id}: a built-in detector has that id`);
    if (!(entry.pattern instanceof RegExp)) throw new Error(`plugin detector ${entry.id}: pattern must be a RegExp`);
    checkDetector(compileEntry(entry)); // unknown validators and patterns the engine rejects fail here, before anything changes
  }
  for (const entry of entries) added.set(entry.id, entry);
  scanner = new SecretScanner([...DETECTORS, ...[...added.values()].map(compileEntry)]);
  version = undefined;
}

/** The detectors plugins added (to hand to worker threads). */
export function pluginDetectors(): DetectorEntry[] {
  return [...added.values()];
}

/** The scanner over the built-in and plugin detectors. */
export function currentScanner(): SecretScanner {
  return scanner;
}

/** The detector set version of the built-in and plugin detectors together. */
export function currentDetectorSetVersion(builtin: string): string {
  if (added.size === 0) return builtin;
  return (version ??= detectorSetVersion(scanner.detectors));
}
