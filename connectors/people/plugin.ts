/** The built-in `people` plugin: the people directory source (`people:FILE`). */
import { definePlugin } from '../../src/plugin.js';
import { peopleConnector } from './connector.js';

export const peoplePlugin = definePlugin({ name: 'nhiscan:people', connectors: [peopleConnector] });
