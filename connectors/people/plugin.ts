/** The built-in `people` plugin: the people directory source (`people:FILE`). */
import { definePlugin } from '../../src/plugin.js';
import { lazyConnector } from '../../src/lazy-connector.js';
import { peopleConnectorMeta } from './meta.js';

export const peoplePlugin = definePlugin({
  name: 'nhiscan:people',
  connectors: [lazyConnector(peopleConnectorMeta, async () => (await import('./connector.js')).peopleConnector)],
});
