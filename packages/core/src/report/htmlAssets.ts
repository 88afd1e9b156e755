/**
 * The inline stylesheet and script of the HTML report. Both are constants, so the report needs no
 * network and no other file.
 */

/** Inline CSS of the HTML report: system fonts, compact tables, red for findings, green for none. */
export const reportStyle = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --red: #cf222e; --red-bg: #ffebe9;
  --green: #1a7f37; --green-bg: #dafbe1; --amber: #9a6700; --amber-bg: #fff8c5; --blue: #0969da; --blue-bg: #ddf4ff; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff; font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 20px 0 8px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { margin: 4px 0; padding: 8px 10px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px;
  white-space: pre-wrap; word-break: break-all; max-height: 360px; overflow: auto; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 0; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; word-break: break-all; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-weight: 600; font-size: 12px; }
.status-passed { color: var(--green); background: var(--green-bg); }
.status-failed { color: var(--red); background: var(--red-bg); }
.status-errored, .status-cancelled { color: var(--amber); background: var(--amber-bg); }
.status-queued, .status-running { color: var(--blue); background: var(--blue-bg); }
.stats { display: flex; flex-wrap: wrap; gap: 8px; }
.stat { min-width: 120px; padding: 8px 12px; border: 1px solid var(--line); border-radius: 6px; }
.stat b { display: block; font-size: 20px; }
.stat span { color: var(--muted); font-size: 12px; }
.stat.bad { border-color: var(--red); background: var(--red-bg); }
.stat.bad b { color: var(--red); }
.stat.good { border-color: var(--green); background: var(--green-bg); }
.stat.good b { color: var(--green); }
table { border-collapse: collapse; }
.matrix th, .matrix td { border: 1px solid var(--line); padding: 3px 8px; text-align: center; }
.matrix th.op, .matrix td.op { text-align: left; white-space: nowrap; }
.matrix thead th { background: var(--soft); }
.cell-declared { color: var(--muted); }
.cell-seen { color: var(--green); background: var(--green-bg); font-weight: 600; }
.cell-covered { color: var(--blue); background: var(--blue-bg); font-weight: 600; }
.cell-undeclared { color: var(--red); background: var(--red-bg); font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 8px 0; color: var(--muted); font-size: 12px; }
.legend span { padding: 0 6px; border: 1px solid var(--line); border-radius: 4px; }
.none { padding: 10px 14px; border-radius: 6px; color: var(--green); background: var(--green-bg); font-weight: 600; }
.finding { margin: 10px 0 16px; border: 1px solid var(--line); border-left: 4px solid var(--red); border-radius: 6px; padding: 10px 14px; }
.finding header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px; }
.finding .check { color: var(--red); font-weight: 600; }
.finding .count { color: var(--muted); }
.finding .message { margin: 4px 0 8px; font-weight: 600; }
.finding h4 { margin: 10px 0 2px; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.kv { margin: 2px 0; font-size: 12.5px; }
.kv th { text-align: left; font-weight: normal; color: var(--muted); padding: 0 12px 0 0; vertical-align: top; white-space: nowrap; }
.kv td { padding: 0; word-break: break-all; }
.exchange { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
@media (max-width: 800px) { .exchange { grid-template-columns: 1fr; } }
.noresponse { color: var(--amber); font-weight: 600; }
.http-5xx { color: var(--red); }
.http-4xx { color: var(--amber); }
.http-ok { color: var(--green); }
.curl { position: relative; }
.curl button { position: absolute; top: 6px; right: 6px; font-size: 12px; padding: 1px 8px; cursor: pointer;
  border: 1px solid var(--line); border-radius: 4px; background: #fff; }
.notes li { margin: 2px 0; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`

/**
 * Inline script of the HTML report: a copy button for each curl command. Without clipboard access
 * (some browsers deny it to `file://` pages) it selects the command so the reader can copy it.
 */
export const reportScript = `
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-copy]");
  if (!button) return;
  var pre = button.parentElement.querySelector("pre");
  var select = function () {
    var range = document.createRange();
    range.selectNodeContents(pre);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(pre.textContent).then(function () { button.textContent = "Copied"; }, select);
  } else {
    select();
  }
});
`
