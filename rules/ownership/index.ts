import type { Rule } from '../../src/plugin.js';
import ownerDeparted from './owner-departed.js';
import creatorDeparted from './creator-departed.js';
import ownerUnknown from './owner-unknown.js';
import orphanedCredential from './orphaned-credential.js';
import ownershipConcentration from './ownership-concentration.js';
import environmentIsolation from './environment-isolation.js';

/** Ownership and offboarding rules: they read `owners` (with provenance) and the people directory, set by src/ownership. */
export const ownershipRules: Rule[] = [ownerDeparted, creatorDeparted, ownerUnknown, orphanedCredential, ownershipConcentration, environmentIsolation];
