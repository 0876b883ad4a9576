/** The console's one stylesheet. */
export const CONSOLE_CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --soft: #f6f8fa; --accent: #0969da;
  --ok: #1a7f37; --bad: #cf222e; --run: #0969da; --wait: #6e7781; --off: #9a6700; font-family: system-ui, sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font-size: 14px; line-height: 1.45; }
header { display: flex; gap: 24px; align-items: center; padding: 10px 24px; background: #24292f; }
header a { color: #f0f3f6; text-decoration: none; }
header .brand { font-weight: 600; }
header nav { display: flex; gap: 16px; flex-wrap: wrap; }
header nav a { opacity: .8; padding: 2px 0; }
header nav a[aria-current] { opacity: 1; border-bottom: 2px solid #f0f3f6; }
main { padding: 12px 24px 48px; max-width: 1280px; }
h1 { font-size: 22px; margin: 4px 0 16px; word-break: break-all; }
h2 { font-size: 17px; margin: 28px 0 10px; }
a { color: var(--accent); }
.trail { color: var(--muted); margin: 0; min-height: 1em; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
table.metrics, table.cm { width: auto; }
figure.chart { margin: 0; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.state { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
.state.ok { background: var(--ok); } .state.bad { background: var(--bad); } .state.run { background: var(--run); }
.state.wait { background: var(--wait); } .state.off { background: var(--off); }
.muted { color: var(--muted); }
.empty { border: 1px dashed var(--line); border-radius: 6px; padding: 16px; color: var(--muted); }
.empty p { margin: 4px 0; }
.problem { border: 1px solid var(--bad); background: #ffebe9; border-radius: 6px; padding: 10px 14px; margin: 8px 0; }
code, pre { font-family: ui-monospace, monospace; font-size: 12.5px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 8px; }
.facts dt { color: var(--muted); } .facts dd { margin: 0; word-break: break-all; }
.logs { background: #0d1117; color: #e6edf3; padding: 10px 12px; border-radius: 6px; max-height: 480px;
  overflow: auto; white-space: pre-wrap; word-break: break-all; margin: 0; }
.logs .line { display: block; } .logs .t { color: #7d8590; } .logs .task { color: #79c0ff; }
.logs .ERROR, .logs .CRITICAL { color: #ff7b72; } .logs .WARNING { color: #e3b341; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart { border: 1px solid var(--line); border-radius: 6px; padding: 8px; min-width: 320px; }
.chart h3 { font-size: 13px; margin: 0 0 4px; }
.cm td.cell { text-align: center; min-width: 48px; font-variant-numeric: tabular-nums; }
.bars { display: grid; grid-template-columns: max-content 1fr max-content; gap: 4px 10px; align-items: center; }
.bar { height: 14px; border-radius: 2px; }
.bar.pos { background: #2da44e; } .bar.neg { background: #cf222e; }
.overlay { position: relative; display: inline-block; }
.overlay canvas { image-rendering: pixelated; border: 1px solid var(--line); }
form.explain textarea { width: 100%; min-height: 90px; font-family: ui-monospace, monospace; }
form.explain fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; }
button { padding: 5px 14px; border-radius: 6px; border: 1px solid var(--line); background: var(--soft); cursor: pointer; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
`;
