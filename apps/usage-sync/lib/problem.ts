// Every error this app answers is an RFC 9457 problem+json: never a stack trace, never an
// absolute path, and a 503 (try again) when Redis or the database is away.

/** An RFC 9457 problem response. */
export function problem(
  status: number,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { type: 'about:blank', title, status, detail },
    { status, headers: { 'content-type': 'application/problem+json', ...headers } },
  );
}

// node-redis without its offline queue, node-postgres and PGlite, when the service is away.
// node-redis's error classes leave `name` as 'Error', so their messages count too: a command
// already sent when Redis goes away fails with 'Socket closed unexpectedly'.
const UNAVAILABLE_NAMES =
  /^(ClientOfflineError|ClientClosedError|ConnectionTimeoutError|SocketClosedUnexpectedlyError)$/;
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connect ECONNREFUSED|The client is (closed|offline)|Socket closed unexpectedly|^Connection timeout$/;
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
]);

/** True when `error` (or what it wraps) says Redis or the database cannot be reached right now. */
export function isUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { name, code, message } = current as {
      name?: unknown;
      code?: unknown;
      message?: unknown;
    };
    const className = (current as object).constructor?.name;
    if ([name, className].some((n) => typeof n === 'string' && UNAVAILABLE_NAMES.test(n))) {
      return true;
    }
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08')))
      return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** A route handler whose failures become problem responses (503 for an outage, else 500). */
export function withProblems<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (isUnavailable(error)) {
        return problem(
          503,
          'Service Unavailable',
          'A backing service (Redis or the database) is unavailable; try again shortly.',
          {
            'retry-after': '5',
          },
        );
      }
      console.error('[usage-sync] request failed:', error);
      return problem(500, 'Internal Error', 'Something went wrong on our side.');
    }
  };
}
