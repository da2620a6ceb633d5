/**
 * Which URL the token's `sub` claim must name:
 * - `'request'` (default): the URL the request arrived at (see `trustProxy`),
 * - `'skip'`: do not check (the official helpers' behaviour; any route accepts any token),
 * - a string: this exact public URL (behind a proxy or tunnel that rewrites the host),
 * - a function: computed from the framework's request.
 */
export type UrlOption<R> = 'request' | 'skip' | string | ((request: R) => string | URL);

export type HeaderReader = (name: string) => string | null | undefined;

/** Anything with a `header(name)` method, like the adapter contract's `IncomingRequest`. */
export interface HeaderSource {
  header(name: string): string | null | undefined;
}

function first(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const comma = value.indexOf(',');
  const item = (comma === -1 ? value : value.slice(0, comma)).trim();
  return item || undefined;
}

function forwardedPair(
  header: string | null | undefined,
  key: 'proto' | 'host',
): string | undefined {
  // RFC 7239: `Forwarded: for=1.2.3.4;proto=https;host=example.com, for=...` — the first hop.
  const element = first(header);
  if (!element) return undefined;
  for (const part of element.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim().toLowerCase() === key) {
      return (
        part
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1') || undefined
      );
    }
  }
  return undefined;
}

/**
 * The URL the sender addressed. With `trustProxy`, scheme and host (with its port) come from
 * `X-Forwarded-Proto`/`X-Forwarded-Host` (or `Forwarded`), the first hop of each: only enable
 * it behind a proxy that sets those headers, since a client could set them too.
 */
export function publicUrl(seen: string, request: HeaderSource, trustProxy: boolean): string {
  if (!trustProxy) return seen;
  const forwarded = request.header('forwarded');
  const proto = (
    first(request.header('x-forwarded-proto')) ?? forwardedPair(forwarded, 'proto')
  )?.toLowerCase();
  const host = first(request.header('x-forwarded-host')) ?? forwardedPair(forwarded, 'host');
  if (!proto && !host) return seen;
  const url = new URL(seen);
  if (proto === 'http' || proto === 'https') url.protocol = `${proto}:`;
  if (host) {
    const parsed = URL.canParse(`http://${host}`) ? new URL(`http://${host}`) : undefined;
    if (parsed && parsed.pathname === '/' && !parsed.username && !parsed.password) {
      // Host and port are replaced together: the internal port (:3000) is not the public one.
      // (The `host` setter alone would keep the old port when the new host names none.) The
      // public port, when not the default, is part of X-Forwarded-Host; X-Forwarded-Port is
      // ignored, because servers add it with their own local port (Next.js does).
      url.hostname = parsed.hostname;
      url.port = parsed.port;
    }
  }
  return url.href;
}

/** WHATWG-normalised form: lower-case scheme and host, default port dropped, `/` for an empty path. */
export function canonicalUrl(value: string): string | undefined {
  return URL.canParse(value) ? new URL(value).href : undefined;
}

/**
 * True when two different URL strings address the same resource after WHATWG normalisation
 * (`https://Example.com` and `https://example.com/`). Such a token is still rejected, exactly as
 * the official Receiver rejects it, but the error says why and how to fix it.
 */
export function sameAfterNormalisation(a: string, b: string): boolean {
  const canonical = canonicalUrl(a);
  return canonical !== undefined && canonical === canonicalUrl(b);
}
