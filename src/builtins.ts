/**
 * The built-in plugins. They register through the same API as third-party plugins.
 * Each connector folder owns its `plugin.ts` (connector, importers, enrichers, rules).
 */
import type { NhiscanPlugin } from './plugin.js';
import { corePlugin } from './core-plugin.js';
import { gitPlugin } from '../connectors/git/plugin.js';
import { dirPlugin } from '../connectors/dir/plugin.js';
import { githubPlugin } from '../connectors/github/plugin.js';
import { awsPlugin } from '../connectors/aws/plugin.js';
import { azurePlugin } from '../connectors/azure/plugin.js';

export const builtinPlugins: NhiscanPlugin[] = [corePlugin, gitPlugin, dirPlugin, githubPlugin, awsPlugin, azurePlugin];
