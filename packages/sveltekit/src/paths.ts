import { pathGuard } from '@signet/core/adapter';
import type { SignetEvent } from './event.ts';

/**
 * Which requests the hook verifies: route ids (`'/api/refresh'`, `'/api/jobs/[id]'`), path
 * prefixes (`'/hooks'` covers `/hooks` and everything under `/hooks/`), or a predicate.
 */
export type PathMatcher<Event extends SignetEvent = SignetEvent> =
  | string
  | readonly string[]
  | ((event: Event) => boolean);

/** `/(api)/jobs/[id]` → `/jobs/[id]`: route groups are not part of any URL. */
function withoutGroups(routeId: string): string {
  const path = routeId
    .split('/')
    .filter((segment) => !/^\(.+\)$/.test(segment))
    .join('/');
  return path.startsWith('/') ? path : `/${path}`;
}

/**
 * SvelteKit routes on the decoded path (`/api/job%73/1` reaches `src/routes/api/jobs/[id]`), or
 * wherever a `reroute` hook sends it, so entries are matched against both: every spelling of
 * the URL path a router could decode (see `pathGuard` in `@signet/core/adapter`), and the id of
 * the route SvelteKit matched, with and without its groups. Any hit verifies: the guard fails
 * closed.
 */
export function compilePaths<Event extends SignetEvent>(
  paths: PathMatcher<Event>,
): (event: Event) => boolean {
  if (typeof paths === 'function') return paths;
  const list = typeof paths === 'string' ? [paths] : [...paths];
  if (list.length === 0)
    throw new TypeError('@signet/sveltekit: `paths` is empty, so nothing would be verified');
  const guard = pathGuard(list, '@signet/sveltekit: paths (route ids or path prefixes)');
  const routeIds = new Set(list);
  return (event) => {
    const id = event.route.id;
    if (id !== null && (routeIds.has(id) || guard(id) || guard(withoutGroups(id)))) return true;
    return guard(event.url.pathname);
  };
}
