/**
 * The `people:FILE` source: a people directory (CSV or JSON from an HR system or identity provider)
 * that owners are joined against, to know who has left. It yields people, never identities: people
 * are not NHIs. Bad rows are named and skipped (the source is then `partial`); a file that cannot be
 * read at all fails the source with the reason.
 */
import { lstat, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CollectResult, Connector, ConnectorContext } from '../../src/plugin.js';
import { parsePeople } from './parse.js';
import { peopleConnectorMeta } from './meta.js';

/** A directory of a few hundred thousand people is a few tens of MB; anything far larger is not one. */
const MAX_BYTES = 256 * 1024 * 1024;

export const peopleConnector: Connector = {
  ...peopleConnectorMeta,
  async collect(ctx: ConnectorContext): Promise<CollectResult> {
    if (!ctx.source.target) throw new Error('people: name the directory file, e.g. people:hr-export.csv');
    const path = resolve(ctx.baseDir, ctx.source.target);
    const info = await lstat(path).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`${ctx.source.spec}: cannot read ${path}: ${error.code ?? error.message}`);
    });
    if (!info.isFile()) throw new Error(`${ctx.source.spec}: ${path} is not a regular file`);
    if (info.size > MAX_BYTES) throw new Error(`${ctx.source.spec}: ${path} is ${info.size} bytes, over the ${MAX_BYTES}-byte limit for a people directory`);
    const { people, errors } = parsePeople(await readFile(path, 'utf8'), ctx.source.target, ctx.source.spec, ctx.now);
    return {
      identities: [],
      credentials: [],
      people,
      status: errors.length ? 'partial' : 'ok',
      errors,
      stats: {
        people: people.length,
        departed: people.filter((p) => p.status === 'departed').length,
        skippedRows: errors.filter((e) => e.message.startsWith('skipped')).length,
      },
    };
  },
};
