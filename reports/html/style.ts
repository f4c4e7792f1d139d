/**
 * The HTML report's one stylesheet: light and dark (prefers-color-scheme), print (@media print), and
 * severity colours that only ever repeat what a text badge already says.
 */
export const STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa; --link: #0a58ca;
  --critical: #b42318; --high: #c4320a; --medium: #8a6100; --low: #1d5fb4; --info: #57606a; --ok: #1a7f37; --chip: #eaeef2; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9da7b3; --line: #30363d; --panel: #161b22; --link: #6cb6ff;
    --critical: #ff7b72; --high: #ffa657; --medium: #e3b341; --low: #79c0ff; --info: #9da7b3; --ok: #56d364; --chip: #21262d; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 48px; }
a { color: var(--link); }
h1 { font-size: 1.6rem; margin: 8px 0 4px; } h2 { font-size: 1.25rem; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.05rem; margin: 16px 0 6px; }
nav.toc { font-size: .9rem; color: var(--muted); } nav.toc a { margin-right: 12px; }
.muted { color: var(--muted); } .small { font-size: .85rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; }
pre { background: var(--panel); border: 1px solid var(--line); padding: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; background: var(--panel); min-width: 150px; }
.card .n { font-size: 1.6rem; font-weight: 700; display: block; }
.badge { display: inline-block; font-weight: 700; font-size: .75rem; letter-spacing: .03em; padding: 1px 6px; border-radius: 4px; border: 1.5px solid currentColor; white-space: nowrap; }
.sev-critical { color: var(--critical); } .sev-high { color: var(--high); } .sev-medium { color: var(--medium); } .sev-low { color: var(--low); } .sev-info { color: var(--info); }
.state-departed { color: var(--critical); font-weight: 600; } .state-none { color: var(--high); } .state-active { color: var(--ok); }
.gate-failed { color: var(--critical); font-weight: 700; } .gate-passed { color: var(--ok); font-weight: 700; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
td { max-width: 420px; }
th { background: var(--panel); font-weight: 600; }
th button { all: unset; cursor: pointer; font-weight: 600; } th button:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible { outline: 2px solid var(--link); outline-offset: 2px; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; } th[aria-sort="descending"] button::after { content: " \\25BC"; }
td.num, th.num { text-align: right; }
.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin: 8px 0; }
.controls label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
.controls input, .controls select, .pager button, td button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 3px 6px; }
.pager { display: flex; gap: 8px; align-items: center; }
tr.detail td { background: var(--panel); }
.detail dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; } .detail dt { color: var(--muted); }
details.rule { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
details.rule > summary { cursor: pointer; font-weight: 600; }
.chain { list-style: none; display: flex; flex-wrap: wrap; align-items: stretch; gap: 0; padding: 0; margin: 8px 0 16px; }
.chain li { display: flex; align-items: center; }
.chain li + li::before { content: "\\2192"; font-size: 1.3rem; color: var(--muted); padding: 0 6px; }
.step { border: 2px solid var(--line); border-radius: 6px; padding: 6px 8px; max-width: 280px; background: var(--panel); overflow-wrap: anywhere; }
.step .kind { display: block; font-size: .7rem; font-weight: 700; letter-spacing: .05em; color: var(--muted); }
.step.flagged { border-style: dashed; border-color: var(--critical); }
.flag { display: inline-block; font-size: .7rem; font-weight: 700; border: 1px solid currentColor; border-radius: 3px; padding: 0 4px; margin: 2px 2px 0 0; }
.flag.warn { color: var(--critical); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
svg.chart { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg.chart text { fill: var(--fg); } svg.chart .bar { fill: currentColor; } svg.chart .total { color: var(--fg); }
svg.chart rect.new { fill: var(--link); stroke: var(--link); } svg.chart rect.resolved { fill: url(#hatch); stroke: var(--ok); }
svg.chart .hatch-bg { fill: var(--bg); } svg.chart .hatch-line { stroke: var(--ok); } svg.chart .axis { stroke: var(--muted); } svg.chart .grid { stroke: var(--line); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
.print-only { display: none; }
@media print {
  :root { --bg: #fff; --fg: #000; --muted: #333; --line: #999; --panel: #fff; --link: #000; }
  body { font-size: 11pt; } main { max-width: none; padding: 0; }
  nav.toc, .controls, .pager, td button, noscript { display: none !important; }
  .print-only { display: block; }
  h2 { break-after: avoid; } tr, .card, .step, figure, details.rule { break-inside: avoid; }
  a { text-decoration: none; }
}
`;
