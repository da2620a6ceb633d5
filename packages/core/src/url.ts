import type { Env } from './keys.ts';
import type { Logger } from './logger.ts';
import { warnOnce } from './logger.ts';

/**
 * Which URL the token's `sub` claim must name:
 * - `'request'` (default): the URL the request arrived at (see `origin` and `trustProxy`),
 * - `'skip'`: do not check (the official helpers' behaviour; any route accepts any token),
 * - a string: this exact public URL (behind a proxy or tunnel that rewrites the path),
 * - a function: computed from the framework's request.
 */
export type UrlOption<R> = 'request' | 'skip' | string | ((request: R) => string | URL);

/** The environment variable that pins the public origin for every verifier in a deployment. */
export const ORIGIN_ENV = 'SIGNET_ORIGIN';

/** What a request offers for URL resolution: its URL as the framework saw it, and its headers. */
export interface UrlSource<Req> {
  readonly request: Req;
  header(name: string): string | null | undefined;
  url(): string;
}

/** The `url`, `origin` and `trustProxy` options, decided once per verifier. */
export type UrlRule<Req> =
  | { readonly kind: 'skip' }
  | { readonly kind: 'fixed'; readonly url: string }
  | { readonly kind: 'function'; readonly compute: (request: Req) => string | URL }
  | { readonly kind: 'origin'; readonly origins: readonly string[] }
  | { readonly kind: 'request'; readonly trustProxy: boolean; readonly unpinned: boolean };

/** WHATWG-normalised form: lower-case scheme and host, default port dropped, `/` for an empty path. */
export function canonicalUrl(value: string): string | undefined {
  return URL.canParse(value) ? new URL(value).href : undefined;
}

/**
 * `https://app.example.com` from what a user wrote (`https://App.example.com/`). Only scheme, host
 * and port: a path prefix is the `url` function's job, since a router may strip it.
 */
export function parseOrigin(value: string, where: string): string {
  const url = URL.canParse(value.trim()) ? new URL(value.trim()) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(
      `@signet/core: ${where} must be an http(s) origin like "https://app.example.com"; got ${JSON.stringify(value)}`,
    );
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new TypeError(
      `@signet/core: ${where} must be only scheme, host and port (like "https://app.example.com"); got ${JSON.stringify(value)}. For a path prefix, pass a url function.`,
    );
  }
  return url.origin;
}

function originList(value: string | readonly string[], where: string): string[] {
  const items = typeof value === 'string' ? value.split(/[\s,]+/) : [...value];
  const origins = items
    .filter((item) => item.trim() !== '')
    .map((item) => parseOrigin(item, where));
  if (origins.length === 0) throw new TypeError(`@signet/core: ${where} names no origin`);
  return [...new Set(origins)];
}

export interface UrlRuleOptions<Req> {
  url?: UrlOption<Req> | undefined;
  origin?: string | readonly string[] | undefined;
  trustProxy?: boolean | undefined;
}

/**
 * Decides how a verifier finds the URL a token must name. Precedence: a fixed or computed `url`,
 * then `origin` (or `SIGNET_ORIGIN`), then the request itself (with `trustProxy`, its forwarded
 * host). Throws on a value that could never match, so the mistake shows at start-up.
 */
export function urlRule<Req>(options: UrlRuleOptions<Req>, env: Env): UrlRule<Req> {
  const { url = 'request' } = options;
  if (url === 'skip') return { kind: 'skip' };
  if (typeof url === 'function') return { kind: 'function', compute: url };
  if (typeof url !== 'string') {
    throw new TypeError("@signet/core: url must be 'request', 'skip', a function, or a URL");
  }
  if (url !== 'request') {
    if (!/^https?:/i.test(url)) {
      throw new TypeError(
        `@signet/core: url must be 'request', 'skip', a function, or an absolute http(s) URL; got ${JSON.stringify(url)}`,
      );
    }
    if (canonicalUrl(url) === undefined) {
      throw new TypeError(`@signet/core: url ${JSON.stringify(url)} is not a valid URL`);
    }
    return { kind: 'fixed', url };
  }
  if (options.origin !== undefined) {
    return { kind: 'origin', origins: originList(options.origin, 'origin') };
  }
  const fromEnv = env[ORIGIN_ENV]?.trim();
  if (fromEnv) return { kind: 'origin', origins: originList(fromEnv, ORIGIN_ENV) };
  const trustProxy = options.trustProxy ?? false;
  return { kind: 'request', trustProxy, unpinned: !trustProxy && env.NODE_ENV === 'production' };
}

/**
 * The URL (or, with several origins, the URLs) a token must name for this request; undefined
 * when URLs are not checked. `direct` is `verify()`: the caller passed the URL, there is no
 * framework request to compute one from, and it is taken as given (an origin still applies).
 */
export function expectedUrls<Req>(
  rule: UrlRule<Req>,
  source: UrlSource<Req>,
  direct: boolean,
): string | readonly string[] | undefined {
  switch (rule.kind) {
    case 'skip':
      return undefined;
    case 'fixed':
      return rule.url;
    case 'function':
      return direct ? source.url() : String(rule.compute(source.request));
    case 'origin': {
      const path = pathAndQuery(source.url());
      return rule.origins.length === 1
        ? `${rule.origins[0]}${path}`
        : rule.origins.map((origin) => `${origin}${path}`);
    }
    case 'request':
      return rule.trustProxy && !direct ? publicUrl(source.url(), source) : source.url();
  }
}

/** Once per logger, in production: a host taken from the request is whatever the client said. */
export function warnIfUnpinned<Req>(rule: UrlRule<Req>, logger: Logger): void {
  if (rule.kind !== 'request' || !rule.unpinned) return;
  warnOnce(
    logger,
    'unpinned-origin',
    `@signet/core: the public origin is not pinned, so the host part of the URL check comes from the request's Host header, which a client chooses: a token QStash signed for another app on the same account (the keys are per account) would be accepted here when sent with that app's Host. Set ${ORIGIN_ENV}=https://your-app.example (or the origin option), or trustProxy behind a proxy that sets X-Forwarded-Host.`,
  );
}

/**
 * The path and query of an absolute URL string, exactly as spelled (`/hooks/a?x=1`): the part of
 * a request URL that `origin` keeps. Not re-parsed, so no normalisation sneaks in.
 */
export function pathAndQuery(url: string): string {
  const scheme = url.indexOf('://');
  const start = scheme === -1 ? -1 : url.indexOf('/', scheme + 3);
  if (start === -1) {
    const query = url.indexOf('?', scheme + 3);
    return query === -1 ? '/' : `/${url.slice(query)}`;
  }
  const hash = url.indexOf('#', start);
  return hash === -1 ? url.slice(start) : url.slice(start, hash);
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
 * The URL the sender addressed, behind a proxy: scheme and host (with its port) from
 * `X-Forwarded-Proto`/`X-Forwarded-Host` (or `Forwarded`), the first hop of each. Only for
 * `trustProxy`, behind a proxy that sets those headers, since a client could set them too.
 */
export function publicUrl(seen: string, request: Pick<UrlSource<unknown>, 'header'>): string {
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

/**
 * True when two different URL strings address the same resource after WHATWG normalisation
 * (`https://Example.com` and `https://example.com/`). Such a token is still rejected, exactly as
 * the official Receiver rejects it, but the error says why and how to fix it.
 */
export function sameAfterNormalisation(a: string, b: string): boolean {
  const canonical = canonicalUrl(a);
  return canonical !== undefined && canonical === canonicalUrl(b);
}
