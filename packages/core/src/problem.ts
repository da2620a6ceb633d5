import type { SchemaIssue, VerificationError } from './errors.ts';

/** An RFC 9457 problem details body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  /** Schema issues, present for BODY_INVALID. Messages and paths only, never the value. */
  issues?: { message: string; path?: string }[];
}

export interface ProblemOptions {
  /** Include the debug detail (token claims' URL, hashes) in the body. Development only. */
  debug?: boolean;
  /** Answer BODY_INVALID with 489 + `Upstash-NonRetryable-Error: true` so QStash stops retrying. */
  nonRetryable?: boolean;
}

/** A framework-neutral response: adapters copy it into their framework's response. */
export interface ProblemResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: string): string {
  return `urn:signet:error:${code.toLowerCase().replaceAll('_', '-')}`;
}

function issuePath(path: SchemaIssue['path']): string | undefined {
  if (!path || path.length === 0) return undefined;
  return path
    .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
    .join('.');
}

export function toProblem(error: VerificationError, options: ProblemOptions = {}): Problem {
  const status = nonRetryableStatus(error, options) ?? error.status;
  const problem: Problem = {
    type: problemType(error.code),
    title: error.title,
    status,
    code: error.code,
    detail:
      options.debug && error.debugDetail ? `${error.detail} ${error.debugDetail}` : error.detail,
  };
  if (error.issues) {
    problem.issues = error.issues.map((issue) => {
      const path = issuePath(issue.path);
      return path === undefined ? { message: issue.message } : { message: issue.message, path };
    });
  }
  return problem;
}

function nonRetryableStatus(error: VerificationError, options: ProblemOptions): number | undefined {
  // A body the schema rejects will fail on every retry too; 489 + the header sends the message
  // straight to the dead letters instead of retrying it for days.
  return options.nonRetryable && error.code === 'BODY_INVALID' ? 489 : undefined;
}

export function problemResponse(
  error: VerificationError,
  options: ProblemOptions = {},
): ProblemResponse {
  const problem = toProblem(error, options);
  const headers: Record<string, string> = {
    'content-type': PROBLEM_CONTENT_TYPE,
    'cache-control': 'no-store',
  };
  if (problem.status === 489) headers['upstash-nonretryable-error'] = 'true';
  // The rest of an oversized body is never read; closing the connection is the only way to
  // stop the sender from streaming it at us.
  if (error.code === 'BODY_TOO_LARGE') headers.connection = 'close';
  return { status: problem.status, headers, body: JSON.stringify(problem) };
}

/** The same response as a Web `Response`, for fetch-style frameworks. */
export function toResponse(response: ProblemResponse): Response {
  return new Response(response.body, { status: response.status, headers: response.headers });
}
