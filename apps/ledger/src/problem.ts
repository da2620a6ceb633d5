// Every error this app answers is an RFC 9457 problem+json: a status, a title and a detail a
// person can act on. Never a stack trace, never an absolute path.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

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

export function problem(reply: FastifyReply, status: number, title: string, detail: string) {
  if (status === 503) void reply.header('retry-after', '5');
  return reply
    .code(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

/** Fastify's error handler: its own 4xx (bad JSON, too large) keep their status; the rest, 503 or 500. */
export async function problemHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (isUnavailable(error)) {
    request.log.warn(`${request.method} ${request.url}: the database is unavailable`);
    return problem(
      reply,
      503,
      'Service unavailable',
      'The database cannot be reached right now; try again shortly.',
    );
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return problem(reply, status, 'Bad request', error.message);
  console.error(`[ledger] ${request.method} ${request.url} failed:`, error);
  return problem(reply, 500, 'Internal error', 'Something went wrong on our side.');
}
