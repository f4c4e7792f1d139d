/**
 * The HTML report a security lead opens first (`--format html`): one self-contained file, no network
 * request, no external font or script. Executive summary, the top findings by blast radius, trend
 * charts (inline SVG, when the scan was recorded in a history store), the riskiest chains, a findings
 * table to filter and sort, an inventory explorer with owners and their state, each rule's advice, and
 * the coverage. A Content-Security-Policy allows only the page's own script and style (by hash), so
 * even a value that escaped escaping could not run.
 *
 * Every value is HTML-escaped (reports carry attacker-controlled names); findings and inventory go
 * into JSON data blocks, streamed row by row, that the page's script pages through (50 rows at a
 * time), so 100,000 findings load without freezing the browser. Secrets appear only as the redacted
 * preview and a hash prefix, as everywhere in nhiscan.
 */
import { ownerStateOf, ownersOf, type RankedFinding } from '../src/blast-radius.js';
import { riskiestChains } from '../src/lineage/chains.js';
import type { Credential, Identity, Owner } from '../src/model/index.js';
import { defineReporter } from '../src/plugin.js';
import type { ScanReport } from '../src/report-model.js';
import { providerInventory, rankedReport, type RuleGroup } from './digest.js';
import { CLIENT_SCRIPT } from './html/client.js';
import { anchor, cspHash, h, scriptJson } from './html/escape.js';
import { chainsSection, coverageSection, providerSummary, rulesSection, summarySection, topSection, trendSection } from './html/sections.js';
import { STYLE } from './html/style.js';
import type { ReportSink } from './sink.js';

const CSP = `default-src 'none'; script-src ${cspHash(CLIENT_SCRIPT)}; style-src ${cspHash(STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`;

function head(report: ScanReport): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="${h(CSP)}"><meta name="referrer" content="no-referrer">` +
    `<title>nhiscan report, ${h(report.scan.startedAt.slice(0, 10))}</title><style>${STYLE}</style></head>\n<body><main>` +
    `<h1>nhiscan report</h1><p class="muted">Scanned ${report.sources.filter((s) => !s.parent).length} source(s) from ${h(report.scan.startedAt)} to ${h(report.scan.finishedAt)} with nhiscan ${h(report.tool.version)}.</p>` +
    `<nav class="toc" aria-label="Contents"><a href="#summary">Summary</a><a href="#top">Top findings</a>${report.history?.trend.length ? '<a href="#trend">Trend</a>' : ''}<a href="#chains">Chains</a><a href="#findings">All findings</a><a href="#inventory">Inventory</a><a href="#rules">What to do</a><a href="#coverage">Coverage</a></nav>\n`
  );
}

function whereOf(item: RankedFinding): string {
  const l = item.finding.location;
  if (!l) return '';
  return `${l.repository ? `${l.repository}: ` : ''}${l.path}${l.line ? `:${l.line}` : ''}${l.commit ? ` (commit ${l.commit.slice(0, 12)})` : ''}`;
}

/** One findings row, in the layout reports/html/client.ts reads. */
function findingRow(item: RankedFinding, rank: number, ruleIndex: Map<string, number>): unknown[] {
  const f = item.finding;
  const owner = item.owners.owners[0];
  return [
    rank,
    f.severity,
    ruleIndex.get(f.ruleId) ?? 0,
    f.resource.name,
    f.resource.provider,
    f.resource.kind,
    f.message,
    whereOf(item),
    owner?.id ?? '',
    item.owners.state,
    item.blast.score,
    item.blast.reasons.join('; '),
    f.status ?? '',
    f.fingerprint,
    f.remediationCommands ?? [],
    f.resource.human ? 1 : 0,
  ];
}

/** Writes `<script type="application/json" id=…>{…, "rows": [ …rows… ]}</script>`, one row per chunk. */
function writeData(sink: ReportSink, id: string, meta: Record<string, unknown>, rows: Iterable<unknown[]>): void {
  const head = scriptJson(meta);
  sink.write(`<script type="application/json" id="${id}">${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"rows":[`);
  let first = true;
  for (const row of rows) {
    sink.write(`${first ? '' : ','}\n${scriptJson(row)}`);
    first = false;
  }
  sink.write(`]}</script>\n`);
}

function writeFindings(sink: ReportSink, ranked: RankedFinding[], groups: RuleGroup[]): void {
  sink.write(
    `<section id="findings"><h2>All findings (${ranked.length})</h2><p class="muted">Filter, search and sort; <em>Details</em> shows a finding's message, where it is, what to do and the commands.</p>` +
      `<noscript><p>The findings table needs JavaScript; the JSON report lists every finding.</p></noscript>` +
      `<p class="print-only">Printed: the page of the findings table on screen; the JSON report lists every finding.</p><div id="findings-host"></div>\n`,
  );
  const rules = groups.map((g) => ({
    id: g.ruleId,
    title: g.rule?.title ?? g.items[0]!.finding.title,
    category: g.items[0]!.finding.category,
    what: g.items[0]!.finding.remediation,
    anchor: anchor('rule', g.ruleId),
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  writeData(
    sink,
    'nhiscan-findings',
    { rules },
    (function* rows() {
      let rank = 0;
      for (const item of ranked) yield findingRow(item, ++rank, ruleIndex);
    })(),
  );
  sink.write(`</section>\n`);
}

function ownersText(owners: Owner[]): string {
  return owners.map((o) => `${o.id} (${o.source}${o.confidence ? `, ${o.confidence}` : ''}${o.active === false ? ', departed' : ''})`).join('; ');
}

/** One inventory row: a credential without owners of its own shows its identity's. */
function inventoryRow(item: Identity | Credential, type: 'identity' | 'credential', inherited: Owner[]): unknown[] {
  const own = ownersOf(item);
  const owners = own.length ? own : inherited;
  const secret = 'secret' in item ? item.secret : undefined;
  const detail = [
    secret ? `${secret.preview} ${secret.hash.slice(0, 19)}… (${secret.detector})` : '',
    'human' in item && item.human ? 'a person' : '',
    owners
      .map((o) => o.reason ?? '')
      .filter(Boolean)
      .join('; '),
    !own.length && inherited.length ? "owners inherited from the credential's identity" : '',
  ].filter(Boolean);
  return [
    item.provider,
    type,
    item.kind,
    item.name,
    ownersText(owners),
    ownerStateOf(owners),
    item.status ?? '',
    item.scope ?? '',
    detail.join(' · '),
    item.source,
  ];
}

function writeInventory(sink: ReportSink, report: ScanReport): void {
  const { identities, credentials } = report.inventory;
  sink.write(
    `<section id="inventory"><h2>Inventory</h2><p class="muted">Every identity and credential by provider, with its owners, where each owner came from, and whether they are still here.</p>` +
      providerSummary(providerInventory(report)) +
      `<div id="inventory-host"></div>\n`,
  );
  const byId = new Map(identities.map((i) => [i.id, i]));
  writeData(
    sink,
    'nhiscan-inventory',
    {},
    (function* rows() {
      for (const i of identities) yield inventoryRow(i, 'identity', []);
      for (const c of credentials) yield inventoryRow(c, 'credential', ownersOf(byId.get(c.identityId ?? '')));
    })(),
  );
  sink.write(`</section>\n`);
}

export const htmlReporter = defineReporter({
  format: 'html',
  fileName: 'nhiscan-report.html',
  write(report: ScanReport, sink: ReportSink): void {
    const { ranked, groups } = rankedReport(report);
    sink.write(head(report));
    sink.write(summarySection(report, providerInventory(report)));
    sink.write(topSection(ranked, groups));
    sink.write(trendSection(report.history));
    sink.write(chainsSection(riskiestChains(report.inventory, 5)));
    writeFindings(sink, ranked, groups);
    writeInventory(sink, report);
    sink.write(rulesSection(groups));
    sink.write(coverageSection(report));
    sink.write(
      `<footer class="small muted"><p>Written by nhiscan ${h(report.tool.version)}. Secrets appear only as a redacted preview and a hash.</p></footer></main>`,
    );
    sink.write(`<script>${CLIENT_SCRIPT}</script></body></html>\n`);
  },
});
