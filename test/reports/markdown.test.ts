/**
 * The Markdown report as a security lead reads it (issue 16): the executive summary and the top
 * findings first, one section per rule with its explanation once, findings by severity then blast
 * radius with people after workloads, no internal counters, text severity marks, history when present.
 */
import { describe, expect, it } from 'vitest';
import { renderToString, reporters } from '../../reports/index.js';
import { HOSTILE, leadReport, syntheticHistory } from '../../testkit/report-builder.js';

const markdown = (report = leadReport()) => renderToString(reporters.md!, report);
const at = (md: string, text: string) => {
  const i = md.indexOf(text);
  expect(i, `"${text}" is in the report`).toBeGreaterThanOrEqual(0);
  return i;
};

describe('Markdown report for a lead', () => {
  it('opens with the executive summary and the top findings, before the chains, the rules and the coverage', async () => {
    const md = await markdown();
    const order = ['## Executive summary', '## Top ', '## Riskiest chains', '## Findings by rule', '## Coverage', '## Inventory'].map((h) => at(md, h));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(md).toMatch(/\*\*6 active findings\*\*: \[CRITICAL\] 3 · \[HIGH\] 1 · \[MEDIUM\] 1 · \[LOW\] 1 · \[INFO\] 0/);
    expect(md).toMatch(/Coverage: \*\*1 of 2 sources not fully covered\*\*/);
  });

  it('ranks the top list by severity, then blast radius, people last, one row per resource', async () => {
    const md = await markdown();
    const top = md.slice(at(md, '## Top '), at(md, '## Riskiest chains'));
    const rows = [...top.matchAll(/^\| (\d+) \| (\[\w+\]) \| [^|]+ \| ([^|(]+)\(/gm)].map((m) => `${m[2]} ${m[3]!.trim()}`);
    // deploy-admin (admin, owner departed) outranks reader at the same severity; alice is a person.
    expect(rows[0]).toBe('[CRITICAL] deploy-admin');
    expect(rows.indexOf('[CRITICAL] reader')).toBeLessThan(rows.indexOf('[CRITICAL] alice'));
    expect(rows.at(-1)).toBe('[CRITICAL] alice');
    expect(rows.filter((r) => r.endsWith(' reader'))).toHaveLength(1); // rule-a low on reader is named beside it
    expect(top).toMatch(/deploy-admin[^\n]*admin: admin-equivalent; owner departed \| bob@corp\.example \(departed\)/);
  });

  it('explains each rule once, even when it was found at several severities, with findings in risk order', async () => {
    const md = await markdown();
    expect(md.split('Explanation of rule-a.').length - 1).toBe(1);
    expect(md.split('Remedy of rule-a.').length - 1).toBe(1);
    expect(md).toMatch(/### \[CRITICAL\] Title of rule-a \(4\)/);
    expect(md).toMatch(/3 critical, 1 low/);
    const section = md.slice(at(md, '### [CRITICAL] Title of rule-a'), at(md, '### [HIGH]'));
    const names = [...section.matchAll(/^- \[(\w+)\] \*\*(\w[\w-]*)\*\*/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(names).toEqual(['CRITICAL deploy-admin', 'CRITICAL reader', 'LOW reader', 'CRITICAL alice']); // people after workloads
    expect(section).toContain('aws iam delete-role --role-name deploy-admin');
  });

  it('keeps internal counters in the JSON and marks severity without emoji', async () => {
    const md = await markdown();
    for (const counter of ['blobsScanned', 'cachedBlobs', 'otherPagesRead']) expect(md).not.toContain(counter);
    expect(md).toMatch(/\| import:aws \| partial \| 3 identities, 1 credential \| access-keys: AccessDenied \|/);
    expect(md).not.toMatch(/\p{Extended_Pictographic}/u);
  });

  it('escapes hostile resource names, messages and paths', async () => {
    const md = await markdown();
    expect(md).not.toMatch(/<script|<img|<svg/i);
    expect(md).toContain(HOSTILE.name.replace(/</g, '&lt;').replace(/\|/g, '\\|'));
  });

  it('renders the history section when the report has one, and nothing when it has none', async () => {
    expect(await markdown()).not.toMatch(/Since the last scan|Time to fix/);
    const report = leadReport();
    report.history = syntheticHistory(6);
    const md = await markdown(report);
    expect(md).toMatch(/- Since the last scan \(2026-11-28T00:00:00.000Z\): 3 new, 7 resolved, 1 reopened, 24 still open\./);
    expect(md).toMatch(/\| 3 \| 7 \| 1 \| 24 \| 2 \|/);
    expect(md).toMatch(/\| \[HIGH\] \| 6 \| 9\.3 \| 8\.0 \|/);
    expect(md).toMatch(/\[CRITICAL\] 2 findings open longer than 7 days/);
    expect(md.match(/^\| 2026-11-2\dT/gm)).toHaveLength(6);
    report.history = { ...syntheticHistory(1), recorded: false, error: 'connection refused' };
    expect(await markdown(report)).toMatch(/History not recorded.*connection refused/);
  });
});
