/**
 * Imported first by the CLI, before any module builds a zod schema: zod then checks values with its
 * interpreter instead of compiling a JavaScript parser for each object schema on its first use.
 *
 * A scan parses the config, every rule's options and every source's settings once each, so compiling
 * costs far more than it saves: with ~150 schemas it was a fifth of `nhiscan scan staged:.`'s CPU
 * time (docs/pipelines.md). Validation is the same either way (zod's documented `jitless` mode, made
 * for places that forbid `new Function`). zod reads the flag when a schema is built, hence "first".
 */
import { z } from 'zod';

z.config({ jitless: true });
