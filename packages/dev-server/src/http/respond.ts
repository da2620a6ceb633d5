import { type ServerResponse, STATUS_CODES } from 'node:http';
import { PROBLEM_CONTENT_TYPE } from '@signet/core';

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    response.writeHead(status, { 'content-length': '0' }).end();
    return;
  }
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    })
    .end(text);
}

/**
 * An RFC 9457 problem. `error` repeats the detail because hosted QStash answers `{"error": …}`
 * and tools written against it read that field; the SDK shows the whole body in its error.
 */
export function sendProblem(
  response: ServerResponse,
  status: number,
  detail: string,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify({
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    error: detail,
  });
  response
    .writeHead(status, {
      ...headers,
      // The rest of an oversized body is never read: closing is how the sender learns to stop.
      ...(status === 413 && { connection: 'close' }),
      'content-type': PROBLEM_CONTENT_TYPE,
      'content-length': Buffer.byteLength(text),
    })
    .end(text);
}
