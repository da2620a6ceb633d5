import type { SignetEvent } from './event.ts';

/**
 * Which requests the hook verifies: route ids (`'/api/refresh'`, `'/api/jobs/[id]'`), path
 * prefixes (`'/hooks'` covers `/hooks` and everything under `/hooks/`), or a predicate.
 */
export type PathMatcher<Event extends SignetEvent = SignetEvent> =
  | string
  | readonly string[]
  | ((event: Event) => boolean);

function under(pathname: string, prefix: string): boolean {
  const base = prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return pathname === base || pathname.startsWith(base === '/' ? '/' : `${base}/`);
}

export function compilePaths<Event extends SignetEvent>(
  paths: PathMatcher<Event>,
): (event: Event) => boolean {
  if (typeof paths === 'function') return paths;
  const list = typeof paths === 'string' ? [paths] : [...paths];
  if (list.length === 0)
    throw new TypeError('@signet/sveltekit: `paths` is empty, so nothing would be verified');
  for (const path of list) {
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw new TypeError(
        `@signet/sveltekit: paths must start with "/" (a route id or a path prefix); got ${JSON.stringify(path)}`,
      );
    }
  }
  return (event) => list.some((path) => event.route.id === path || under(event.url.pathname, path));
}
