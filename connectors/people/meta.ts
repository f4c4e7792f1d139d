/** What the CLI needs to know about the `people:` source without loading its parsers (csv-parse). */
import { lazySchema } from '../../src/zod-lazy.js';
import type { Connector } from '../../src/plugin.js';

export const peopleConnectorMeta: Omit<Connector, 'collect'> = {
  scheme: 'people',
  description: 'a people directory (people:FILE, CSV or JSON with email, login, name, status, end_date, manager) that owners are joined against',
  // settings.people.aliases (read by the ownership enricher): identity → person, e.g. a bot login → its owner's e-mail.
  settingsSchema: lazySchema((z) => z.object({ aliases: z.record(z.string(), z.string()).optional() }).strict()),
};
