import { ApiError } from '../../errors.ts';
import type { Route } from '../context.ts';

const unsupported = (what: string) => () => {
  throw new ApiError(
    501,
    `${what} is not supported by signet dev (see "Differences from hosted QStash" in its README)`,
  );
};

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Every method on `pattern` answers 501 (never a 404 or a 405 that suggests another method). */
function everyMethod(pattern: RegExp, what: string): Route[] {
  return METHODS.map((method) => ({ method, pattern, handler: unsupported(what), fallback: true }));
}

/**
 * Parts of the hosted Workflow API the SDK does not call and the local broker does not offer:
 * a clear 501 rather than a bare 404.
 */
export const unsupportedRoutes: Route[] = [
  ...everyMethod(/^\/v2\/workflows(\/.*)?$/s, 'This part of the Upstash Workflow API'),
];
