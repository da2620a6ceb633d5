// Every error this app answers is an RFC 9457 problem+json: a status, a title and a detail a
// person can act on. Never a stack trace, never an absolute path.
import type { NextFunction, Request, Response } from 'express';

export class Problem extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

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

export function sendProblem(res: Response, status: number, title: string, detail: string): void {
  if (status === 503) res.set('retry-after', '5');
  res
    .status(status)
    .type('application/problem+json')
    .json({ type: 'about:blank', title, status, detail });
}

/** Express's error handler, last in the chain: what any route threw, as problem+json. */
export function problemHandler(tag: string) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    // body-parser's errors carry a status: malformed JSON is the client's (400), not ours.
    const status = (error as { status?: unknown }).status;
    if (error instanceof Problem) {
      sendProblem(res, error.status, 'Request failed', error.message);
    } else if (typeof status === 'number' && status >= 400 && status < 500) {
      sendProblem(res, status, 'Bad request', 'The request body could not be parsed.');
    } else if (isUnavailable(error)) {
      console.warn(`[${tag}] ${req.method} ${req.path}: the database is unavailable`);
      sendProblem(
        res,
        503,
        'Service unavailable',
        'The database cannot be reached right now; try again shortly.',
      );
    } else {
      console.error(`[${tag}] ${req.method} ${req.path} failed:`, error);
      sendProblem(res, 500, 'Internal error', 'Something went wrong on our side.');
    }
  };
}
