import type { Store } from '../../store/store.ts';
import { page } from './layout.ts';
import { renderMessage } from './message.ts';
import { renderOverview } from './overview.ts';
import { renderRun } from './run.ts';

/** The HTML pages (read-only, no token needed: the Host check keeps other sites out), or undefined. */
export function renderPage(
  store: Store,
  origin: string,
  path: string,
): { status: number; html: string } | undefined {
  if (path === '/') return { status: 200, html: renderOverview(store, origin) };
  const match = /^\/(messages|runs)\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[2] as string);
  } catch {
    id = '';
  }
  const isRun = match[1] === 'runs';
  const html = isRun ? renderRun(store, origin, id) : renderMessage(store, origin, id);
  return html === undefined
    ? {
        status: 404,
        html: page({
          title: 'Not found',
          origin,
          body: `<h1>No such ${isRun ? 'workflow run' : 'message'}</h1><p>It may have finished long ago and been pruned. <a href="/">Back to the overview.</a></p>`,
        }),
      }
    : { status: 200, html };
}
