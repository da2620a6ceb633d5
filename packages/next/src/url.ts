/** Route params as Next gives them to a route handler (a promise since Next 15). */
export type RouteParams = Record<string, string | string[] | undefined>;

function isEdgeRuntime(): boolean {
  return typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime === 'string';
}

/**
 * Route params of an App Router context, or undefined. A plain object in Next 14, a promise since
 * Next 15.
 */
export async function routeParams(context: unknown): Promise<RouteParams | undefined> {
  const params = (context as { params?: RouteParams | Promise<RouteParams> } | null | undefined)
    ?.params;
  return params === undefined ? undefined : await params;
}

/**
 * The URL the client addressed, for the App Router. Next builds `request.url` from its own
 * listening address (`http://localhost:3000` under `next start`), so the host comes from the
 * `Host` header, as in every other framework. Next also re-serialises the query (see
 * `nextSpelling`), and on the Edge runtime it appends the route's dynamic params, which are taken
 * off again. A param that shadowed a query key of the same name cannot be restored: such a token
 * fails with URL_MISMATCH, never the other way round.
 */
export function appRouterUrl(request: Request, params: RouteParams | undefined): string {
  const url = new URL(request.url);
  const host = request.headers.get('host') ?? url.host;
  let search = url.search;
  if (params && isEdgeRuntime()) {
    const query = new URLSearchParams(search);
    for (const [key, value] of Object.entries(params)) {
      const values = Array.isArray(value) ? value : [value];
      const present = query.getAll(key);
      if (present.length === values.length && present.every((item, i) => item === values[i]))
        query.delete(key);
    }
    const rebuilt = query.toString();
    search = rebuilt ? `?${rebuilt}` : '';
  }
  return `${url.protocol}//${host}${url.pathname}${search}`;
}

/**
 * A token's URL spelled the way Next presents request URLs to App Router handlers: the query
 * parsed and re-serialised (`?flag` becomes `?flag=`, `%20` becomes `+`). Next does this to every
 * request before the handler sees it, so it never makes two URLs the app could tell apart equal.
 */
export function nextSpelling(claimed: string): string {
  const at = claimed.indexOf('?');
  if (at === -1) return claimed;
  const query = new URLSearchParams(claimed.slice(at)).toString();
  return claimed.slice(0, at) + (query ? `?${query}` : '');
}
