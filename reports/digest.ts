/**
 * What the human-facing reports (Markdown, HTML) both summarise from a scan report: findings in risk
 * order, grouped by rule; what each source found; each provider's inventory by owner state. Computed
 * here once so the two formats cannot disagree; each is linear in the report's size.
 */
import { ownerStateOf, ownersOf, rankFindings, type OwnerState, type RankedFinding } from '../src/blast-radius.js';
import { SEVERITIES, type Severity } from '../src/model/index.js';
import type { ReportRule, ScanReport } from '../src/report-model.js';

/** Severity marks that read the same in any font, terminal or printout (no emoji, no colour needed). */
export const BADGE: Record<Severity, string> = {
  critical: '[CRITICAL]',
  high: '[HIGH]',
  medium: '[MEDIUM]',
  low: '[LOW]',
  info: '[INFO]',
};

/** How many rows the top list shows. */
export const TOP_FINDINGS = 10;

export interface RuleGroup {
  ruleId: string;
  rule?: ReportRule;
  /** In risk order; the group's place in the list is that of its riskiest finding. */
  items: RankedFinding[];
  bySeverity: Record<Severity, number>;
}

/** One group per rule, in the order of each rule's riskiest finding: a rule's explanation is printed once. */
export function groupByRule(ranked: RankedFinding[], rules: ReportRule[]): RuleGroup[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const groups = new Map<string, RuleGroup>();
  for (const item of ranked) {
    const id = item.finding.ruleId;
    let group = groups.get(id);
    if (!group) {
      const rule = byId.get(id);
      group = { ruleId: id, ...(rule ? { rule } : {}), items: [], bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number> };
      groups.set(id, group);
    }
    group.items.push(item);
    group.bySeverity[item.finding.severity]++;
  }
  return [...groups.values()];
}

/** "2 critical, 1 high": the severities a rule was found at. */
export function severityMix(counts: Record<Severity, number>): string {
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
}

export interface SourceYield {
  identities: number;
  credentials: number;
  resources: number;
  people: number;
}

/** What each source added to the inventory: the counts a reader cares about (the JSON keeps the internal counters). */
export function sourceYield(report: ScanReport): Map<string, SourceYield> {
  const out = new Map(report.sources.map((s) => [s.spec, { identities: 0, credentials: 0, resources: 0, people: 0 }]));
  for (const i of report.inventory.identities) {
    const y = out.get(i.source);
    if (y) y.identities++;
  }
  for (const c of report.inventory.credentials) {
    const y = out.get(c.source);
    if (y) y.credentials++;
  }
  for (const r of report.inventory.resources ?? []) {
    const y = out.get(r.source);
    if (y) y.resources++;
  }
  for (const p of report.inventory.people ?? [])
    for (const source of p.sources) {
      const y = out.get(source);
      if (y) y.people++;
    }
  return out;
}

export function describeYield(y: SourceYield | undefined): string {
  if (!y) return '-';
  const parts = [
    y.identities ? `${y.identities} identit${y.identities === 1 ? 'y' : 'ies'}` : '',
    y.credentials ? `${y.credentials} credential${y.credentials === 1 ? '' : 's'}` : '',
    y.resources ? `${y.resources} other resource${y.resources === 1 ? '' : 's'}` : '',
    y.people ? `${y.people} ${y.people === 1 ? 'person' : 'people'}` : '',
  ].filter(Boolean);
  return parts.join(', ') || 'nothing';
}

export interface ProviderInventory {
  provider: string;
  identities: number;
  credentials: number;
  /** Identities and credentials (not secrets found in code) by the state of their owners. */
  owners: Record<OwnerState, number>;
}

/** Per provider: identities, credentials and owner states. A credential without owners inherits its identity's. */
export function providerInventory(report: ScanReport): ProviderInventory[] {
  const { identities, credentials } = report.inventory;
  const identityById = new Map(identities.map((i) => [i.id, i]));
  const counts = new Map<string, ProviderInventory>();
  const of = (provider: string) => {
    let c = counts.get(provider);
    if (!c) counts.set(provider, (c = { provider, identities: 0, credentials: 0, owners: { active: 0, departed: 0, unverified: 0, none: 0 } }));
    return c;
  };
  for (const i of identities) {
    const c = of(i.provider);
    c.identities++;
    c.owners[ownerStateOf(ownersOf(i))]++;
  }
  for (const cred of credentials) {
    const c = of(cred.provider);
    c.credentials++;
    if (cred.secret) continue;
    const own = ownersOf(cred);
    c.owners[ownerStateOf(own.length ? own : ownersOf(identityById.get(cred.identityId ?? '')))]++;
  }
  return [...counts.values()].sort((a, b) => a.provider.localeCompare(b.provider));
}

export function rankedReport(report: ScanReport): { ranked: RankedFinding[]; groups: RuleGroup[] } {
  const ranked = rankFindings(report.findings, report.inventory);
  return { ranked, groups: groupByRule(ranked, report.rules) };
}

/** The riskiest findings, one per resource (the others on it named beside it), so ten rows are ten problems. */
export function topByResource(ranked: RankedFinding[], limit = TOP_FINDINGS): Array<{ item: RankedFinding; also: string[] }> {
  const rows = new Map<string, { item: RankedFinding; also: string[] }>();
  for (const item of ranked) {
    const row = rows.get(item.finding.resource.id);
    if (row) row.also.push(item.finding.ruleId);
    else if (rows.size < limit) rows.set(item.finding.resource.id, { item, also: [] });
  }
  return [...rows.values()];
}
