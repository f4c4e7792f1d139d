/**
 * Offline exports of an emulated account in the shapes real tools produce: the AWS CLI's
 * `get-account-authorization-details` JSON (documents decoded, dates `+00:00`), variants other tools
 * write (URL-encoded documents, `Z` dates, epoch seconds), multi-page output, and `list-access-keys`.
 */
import type { EmuAccount } from './model.js';
import { authorizationDetailEntries, credentialReportCsv } from './server.js';

export type DateStyle = 'cli' | 'zulu' | 'epoch';
export interface ExportStyle {
  documents?: 'decoded' | 'url-encoded' | 'json-string';
  dates?: DateStyle;
}

const DOC_KEYS = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document']);
const DATE_KEYS = new Set(['CreateDate', 'UpdateDate', 'LastUsedDate']);

function restyle(value: unknown, style: ExportStyle, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => restyle(v, style));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, restyle(v, style, k)]),
    );
  if (DOC_KEYS.has(key) && typeof value === 'string') {
    const decoded = JSON.parse(decodeURIComponent(value)) as unknown;
    return style.documents === 'url-encoded' ? value : style.documents === 'json-string' ? JSON.stringify(decoded) : decoded;
  }
  if (DATE_KEYS.has(key) && typeof value === 'string') {
    if (style.dates === 'epoch') return Date.parse(value) / 1000;
    if (style.dates === 'zulu') return new Date(value).toISOString().replace('.000Z', 'Z');
    return value.replace(/(\.\d+)?Z$/, '+00:00');
  }
  return value;
}

/** The whole export, or its pages of `pageSize` items (each page carrying IsTruncated/Marker or the CLI's NextToken). */
export function authorizationDetailsExport(
  account: EmuAccount,
  style: ExportStyle = {},
  paging?: { pageSize: number; token: 'Marker' | 'NextToken' },
): Record<string, unknown>[] {
  const entries = authorizationDetailEntries(account);
  const size = paging?.pageSize ?? entries.length;
  const pages: Record<string, unknown>[] = [];
  for (let start = 0; start < entries.length; start += size) {
    const lists: Record<string, unknown[]> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    for (const [list, item] of entries.slice(start, start + size)) lists[list]!.push(restyle(item, style));
    const more = start + size < entries.length;
    const token =
      paging?.token === 'NextToken'
        ? more
          ? { NextToken: `token-${start + size}` }
          : {}
        : { IsTruncated: more, ...(more ? { Marker: `marker-${start + size}` } : {}) };
    pages.push({ ...lists, ...(paging ? token : {}) });
  }
  return pages;
}

export function listAccessKeysExport(account: EmuAccount): { AccessKeyMetadata: unknown[] }[] {
  return [...account.users.values()]
    .filter((u) => u.Keys.length)
    .map((u) => ({
      AccessKeyMetadata: u.Keys.map((k) => ({
        UserName: u.UserName,
        AccessKeyId: k.AccessKeyId,
        Status: k.Status,
        CreateDate: k.CreateDate.replace(/(\.\d+)?Z$/, '+00:00'),
      })),
    }));
}

export { credentialReportCsv };
