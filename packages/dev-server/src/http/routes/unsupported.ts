import { ApiError } from '../../errors.ts';
import type { Route } from '../context.ts';

const unsupported = (what: string) => () => {
  throw new ApiError(
    501,
    `${what} is not supported by signet dev (see "Differences from hosted QStash" in its README)`,
  );
};

/** Hosted QStash features the local broker does not offer: a clear 501 rather than a bare 404. */
export const unsupportedRoutes: Route[] = [
  { method: 'GET', pattern: /^\/v2\/flowControl(\/.*)?$/s, handler: unsupported('Flow control') },
  { method: 'POST', pattern: /^\/v2\/flowControl(\/.*)?$/s, handler: unsupported('Flow control') },
  {
    method: 'DELETE',
    pattern: /^\/v2\/workflows(\/.*)?$/s,
    handler: unsupported('Upstash Workflow'),
  },
];
