// Every error this app answers is an RFC 9457 problem+json: a status, a title and a detail a
// person can act on. Never a stack trace, never an absolute path.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';

// Connection-level failures (the database restarting, a network blip), as node-postgres and
// PGlite report them: the request may simply be tried again in a moment.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
]);

/** True when `error` (or what it wraps) says the database cannot be reached right now. */
export function isUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08')))
      return true;
    if (
      typeof message === 'string' &&
      /Connection terminated|connect ECONNREFUSED|Client has encountered a connection error/.test(
        message,
      )
    ) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export function problem(status: number, title: string, detail: string): Response {
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (status === 503) headers['retry-after'] = '5';
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail }), {
    status,
    headers,
  });
}

/** Hono's `onError`: Signet's refusals keep their problem response; anything else becomes one. */
export function problemHandler(tag: string) {
  return (error: Error, c: Context): Response => {
    if (error instanceof HTTPException) return error.getResponse();
    if (isUnavailable(error)) {
      console.warn(`[${tag}] ${c.req.method} ${c.req.path}: the database is unavailable`);
      return problem(
        503,
        'Service unavailable',
        'The database cannot be reached right now; try again shortly.',
      );
    }
    if (error instanceof SyntaxError)
      return problem(400, 'Bad request', 'The request body is not valid JSON.');
    console.error(`[${tag}] ${c.req.method} ${c.req.path} failed:`, error);
    return problem(500, 'Internal error', 'Something went wrong on our side.');
  };
}
