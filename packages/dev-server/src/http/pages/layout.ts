// What every page of signet dev shares: escaping, how times, URLs and headers are shown, and the
// page shell. Plain server-rendered HTML, read-only, no script: the development controls are API
// calls (see the README).

export const html = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** A stored time; anything that is not a date (old data) shows as nothing, never as an error. */
export function time(ms: number | null | undefined): string {
  const date = typeof ms === 'number' && ms > 0 ? new Date(ms) : undefined;
  return date && !Number.isNaN(date.getTime())
    ? date.toISOString().replace('T', ' ').slice(0, 19)
    : '';
}

/**
 * A destination as the pages show it: no query string and no credentials, which often carry
 * secrets (`?api_key=…`) that a page anyone on the machine can open must not show.
 */
export function shownUrl(url: string): string {
  if (!URL.canParse(url)) return url.replace(/[?#].*$/s, '');
  const parsed = new URL(url);
  const query = parsed.search ? '?…' : '';
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return `${parsed.href}${query}`;
}

const SECRET_HEADERS =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|upstash-signature)$|token|secret|password/i;

/** A header value as the pages show it: credentials replaced, everything else as sent. */
export function shownHeader(name: string, value: string): string {
  return SECRET_HEADERS.test(name) ? '•••' : value;
}

/** A body as text when it is UTF-8, else base64; cut at `limit` bytes. */
export function shownBody(body: Uint8Array, limit = 16_384): { text: string; note: string } {
  const cut = body.subarray(0, limit);
  const more = body.byteLength > limit ? ` (first ${limit} of ${body.byteLength} bytes)` : '';
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(cut), note: more };
  } catch {
    return { text: Buffer.from(cut).toString('base64'), note: `base64${more}` };
  }
}

/** A URL for a table cell: escaped, with break opportunities after its slashes. */
export function urlCell(url: string): string {
  return html(shownUrl(url)).replaceAll('/', '/<wbr>');
}

export function stateBadge(state: string): string {
  return `<span class="state ${html(state.toLowerCase())}">${html(state.toLowerCase())}</span>`;
}

/** A table that becomes a list of cards on narrow screens (each cell labelled). */
export function table(
  headings: string[],
  rows: string[][],
  empty: string,
  classes: string[] = [],
): string {
  if (rows.length === 0) return `<p class="empty">${html(empty)}</p>`;
  const head = headings.map((heading) => `<th>${html(heading)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((cell, i) => `<td data-label="${html(headings[i])}" class="${classes[i] ?? ''}">${cell}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%231b1f24'/%3E%3Cpath d='M9 17l5 5 9-11' stroke='%23fff' stroke-width='3.5' fill='none' stroke-linecap='round' stroke-linejoin='round'/%3E%3C/svg%3E";

const CSS = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#1b1f24;color:#fff;padding:.7rem 1.2rem;display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap}
header a{color:#fff;text-decoration:none;font-weight:700}
header code{background:#2d333b;color:#e6edf3}
main{padding:1rem 1.2rem 3rem;max-width:1400px;margin:0 auto}
h1{font-size:1.2rem;margin:.2rem 0 .6rem}h2{font-size:1rem;margin:1.6rem 0 .5rem}
a{color:#0a58ca}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
code{background:#eef1f4;padding:.1rem .3rem;border-radius:.25rem}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #e3e6ea;border-radius:.4rem}
th,td{text-align:left;padding:.35rem .55rem;border-bottom:1px solid #eef0f3;vertical-align:top}
th{font-size:12px;color:#57606a;font-weight:600;white-space:nowrap}
td.url{overflow-wrap:anywhere}
td.text{overflow-wrap:break-word}
td.id,td.nowrap,.nowrap{white-space:nowrap}
td.id{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
.empty{color:#8c959f;margin:.3rem 0}
.pill{display:inline-block;background:#eef1f4;border-radius:1rem;padding:.05rem .6rem;margin:.1rem .2rem .1rem 0;white-space:nowrap}
.state{display:inline-block;white-space:nowrap;font-size:12px;font-weight:700;padding:0 .5rem;border-radius:1rem;background:#eef1f4}
.state.delivered{background:#e6f4ea;color:#1a7f37}.state.failed{background:#fdecec;color:#c92a2a}
.state.retry{background:#fff4e0;color:#9a6700}.state.active{background:#e7f0ff;color:#0a58ca}
.state.created{background:#eef1f4;color:#57606a}.state.canceled{background:#f1f1f1;color:#6e7781}
pre{background:#fff;border:1px solid #e3e6ea;border-radius:.4rem;padding:.6rem .8rem;white-space:pre-wrap;overflow-wrap:anywhere;margin:.3rem 0;max-height:24rem;overflow:auto}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.3rem 0;background:#fff;border:1px solid #e3e6ea;border-radius:.4rem;padding:.6rem .8rem}
dt{color:#57606a;white-space:nowrap}dd{margin:0;overflow-wrap:anywhere}
@media (max-width:700px){
  main{padding:.8rem .7rem 2rem}
  table,thead,tbody,tr,td{display:block;width:100%}
  table{border:0;background:none}
  thead{display:none}
  tr{background:#fff;border:1px solid #e3e6ea;border-radius:.4rem;margin:0 0 .5rem;padding:.3rem .2rem}
  td{border:0;padding:.15rem .5rem;display:grid;grid-template-columns:6.2rem minmax(0,1fr);gap:.5rem}
  td.id{white-space:normal;overflow-wrap:anywhere}
  td>.state{justify-self:start}
  td>pre{grid-column:1/-1}
  td::before{content:attr(data-label);color:#57606a;font-size:12px;font-weight:600;white-space:nowrap}
  dl{grid-template-columns:1fr}dt{margin-top:.3rem}
}
`;

export function page(options: {
  title: string;
  origin: string;
  body: string;
  refresh?: boolean;
}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${options.refresh ? '<meta http-equiv="refresh" content="2">' : ''}
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="${FAVICON}">
<title>${html(options.title)} · signet dev</title>
<style>${CSS}</style></head><body>
<header><a href="/">signet dev</a><span>QStash-compatible broker at <code>${html(options.origin)}</code></span></header>
<main>${options.body}</main>
</body></html>`;
}
