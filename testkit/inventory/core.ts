/**
 * Small inventory builders for rule tests: one item per call, with the model's required fields filled in so a
 * test states only what its rule reads. Provider builders (`aws.ts`, `azure.ts`, `github.ts`) add each kind's
 * attribute contract on top of these.
 */
import { makeId, type Credential, type Identity } from '../../src/model/index.js';

/** The clock rule tests run at, and the default builders' dates are relative to. */
export const TEST_NOW = new Date('2026-11-29T00:00:00Z');

type Fields<T> = Partial<T> & { provider: string; kind: string; nativeId: string };

/** An identity; `id` follows `makeId`, `name` defaults to the native id. */
export function identity(fields: Fields<Identity>): Identity {
  return { id: makeId(fields.provider, fields.kind, fields.nativeId), name: fields.nativeId, tags: {}, grants: [], attributes: {}, source: 'test', ...fields };
}

/** A credential, active unless told otherwise; `id` follows `makeId`, `name` defaults to the native id. */
export function credential(fields: Fields<Credential>): Credential {
  return {
    id: makeId(fields.provider, fields.kind, fields.nativeId),
    name: fields.nativeId,
    tags: {},
    status: 'active',
    attributes: {},
    source: 'test',
    ...fields,
  };
}

/** `now` minus `days` days, as the ISO string the model stores. */
export function daysBefore(now: Date | string, days: number): string {
  return new Date(new Date(now).getTime() - days * 86_400_000).toISOString();
}
