import { utf8Decoder } from '../encoding.ts';

// Routers route on a decoded, normalised path, so a guard that compares the raw one can be walked
// around: SvelteKit routes `/api/job%73/1` to `src/routes/api/jobs/[id]`. A guard must therefore
// ask "could ANY spelling a router makes of this path fall under the prefix?", and verify when
// the answer is yes. Over-matching only means verifying more: the guard fails closed.

const ESCAPES = /(?:%[0-9a-fA-F]{2})+/g;
/** Enough for any double or triple encoding a router undoes; anything deeper is verified anyway. */
const MAX_DECODES = 8;

/** One round of percent-decoding, UTF-8, never throwing (an invalid sequence decodes to U+FFFD). */
function decodeOnce(path: string): string {
  return path.replace(ESCAPES, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) {
      bytes[i] = Number.parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    }
    return utf8Decoder.decode(bytes);
  });
}

/**
 * The loosest reading of a path: `\` as `/`, empty and `.` segments dropped, `..` resolved,
 * each segment cut at `;`, `#` or `?` (matrix parameters, and what a decoded `%23`/`%3F` may
 * become), blanks, NULs and trailing dots trimmed (some servers drop them), lower case. No
 * decoding: callers decode first.
 */
function normalise(path: string): string {
  const out: string[] = [];
  for (const raw of path.replaceAll('\\', '/').split('/')) {
    const cut = raw.search(/[;#?]/);
    let segment = (cut === -1 ? raw : raw.slice(0, cut)).replace(/^[\s\0]+|[\s\0]+$/g, '');
    if (segment === '..') {
      out.pop();
      continue;
    }
    segment = segment.replace(/\.+$/, '').toLowerCase();
    if (segment !== '') out.push(segment);
  }
  return `/${out.join('/')}`;
}

/** Every spelling of `path` a router might route on: as sent, and each decoding, each normalised. */
export function pathSpellings(path: string): string[] {
  const spellings = new Set<string>();
  let current = path;
  for (let round = 0; round <= MAX_DECODES; round++) {
    spellings.add(current);
    spellings.add(normalise(current));
    const next = decodeOnce(current);
    if (next === current) break;
    current = next;
  }
  return [...spellings];
}

function under(path: string, prefix: string): boolean {
  if (prefix === '/') return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * A matcher for path prefixes (`'/hooks'` covers `/hooks` and everything under `/hooks/`) that a
 * path cannot escape by its spelling: percent-encoding in either hex case, double encoding, dot
 * segments, `//`, `\`, a trailing `/`, `;params`, case, padding with blanks or NULs. Each prefix
 * must start with `/`; `what` names them in that error.
 */
export function pathGuard(
  prefixes: readonly string[],
  what = '@signet/core: path prefixes',
): (path: string) => boolean {
  const forms: string[] = [];
  for (const prefix of prefixes) {
    if (typeof prefix !== 'string' || !prefix.startsWith('/')) {
      throw new TypeError(`${what} must start with "/"; got ${JSON.stringify(prefix)}`);
    }
    const trimmed = prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    forms.push(trimmed, normalise(decodeOnce(trimmed)));
  }
  return (path) => {
    for (const spelling of pathSpellings(path)) {
      for (const prefix of forms) if (under(spelling, prefix)) return true;
    }
    return false;
  };
}
