// Server-rendered pages without a client framework: an escaping template tag, and a page shell
// whose `live` region re-renders itself from the server every couple of seconds.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** HTML that is already safe to insert (from `html` or `raw`). */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export const raw = (value: string) => new Html(value);

/** `1400` → `€14.00`. */
export const euros = (cents: number) => `€${(cents / 100).toFixed(2)}`;

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

/** `html\`<p>${userText}</p>\`` escapes every interpolation that is not itself `Html`. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new Html(out);
}

const BASE_CSS = `
:root { --bg:#f6f5f2; --panel:#fff; --line:#e2dfd8; --text:#1e1d1b; --muted:#6e6a63; --accent:#3b5bdb; --ok:#2b8a3e; --warn:#e67700; --bad:#c92a2a;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--text); background: var(--bg); line-height: 1.5; }
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; }
header { background: var(--panel); border-bottom: 1px solid var(--line); }
header nav { max-width: 960px; margin: 0 auto; padding: .8rem 1rem; display: flex; gap: 1.2rem; align-items: center; }
header .brand { font-weight: 800; text-decoration: none; color: inherit; }
main { max-width: 960px; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
a { color: var(--accent); }
.muted { color: var(--muted); }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 1rem 1.2rem; margin: 1rem 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 1rem; }
button { font: inherit; font-weight: 600; border: 0; border-radius: 8px; padding: .5rem 1rem; background: var(--accent); color: #fff; cursor: pointer; }
input, select { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 6px; max-width: 100%; }
label.field { display: block; }
label.field input { display: block; width: 100%; margin-top: .2rem; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .78rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
td { overflow-wrap: anywhere; }
/* On a phone a table becomes a list of cards, each cell under its column's name. */
@media (max-width: 640px) {
  table, thead, tbody, tr, td { display: block; width: 100%; }
  thead { display: none; }
  table.panel { padding: 0; border: 0; background: none; }
  tr { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; margin: 0 0 .6rem; padding: .4rem .2rem; }
  td { border: 0; padding: .2rem .7rem; }
  td[data-label]::before { content: attr(data-label); display: block; font-size: .72rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
}
.state { font-size: .8rem; font-weight: 700; padding: .1rem .5rem; border-radius: 999px; background: #eee; white-space: nowrap; }
.state.delivered { background: #e6f4ea; color: var(--ok); } .state.retrying { background: #fff4e0; color: var(--warn); }
.state.failed { background: #fdecec; color: var(--bad); } .state.queued { background: #edf0fb; color: var(--accent); }
form.inline { display: inline; margin-left: .5rem; } form.inline button { padding: .15rem .7rem; font-size: .85rem; }
`;

export interface PageOptions {
  title: string;
  brand: string;
  nav: [label: string, href: string][];
  body: Html;
  /** Re-fetch this page every `everyMs` and swap in its `#live` element, so it updates itself. */
  live?: { everyMs: number };
}

export function page(options: PageOptions): string {
  const refresh = options.live
    ? html`<script>
setInterval(async () => {
  const response = await fetch(location.href, { headers: { accept: 'text/html' } }).catch(() => null);
  if (!response || !response.ok) return;
  const next = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('live');
  const current = document.getElementById('live');
  if (next && current && next.innerHTML !== current.innerHTML) current.innerHTML = next.innerHTML;
}, ${options.live.everyMs});
</script>`
    : '';
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · ${options.brand}</title><style>${raw(BASE_CSS)}</style></head>
<body><header><nav><a class="brand" href="/">${options.brand}</a>${options.nav.map(([label, href]) => html`<a href="${href}">${label}</a>`)}</nav></header>
<main>${options.body}</main>${refresh}</body></html>`}`;
}

/** A small SVG mark, so browsers stop asking for /favicon.ico in vain. */
export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#3b5bdb"/><path d="M9 17l5 5 9-11" stroke="#fff" stroke-width="3.5" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
