import { echo, HandlerFailure, handlerStatus, readRequestBody } from '@signet/conformance/fixture';
import type { VerifiedMessage } from '@signet/core';

/**
 * The fixture's protected handler: echo what it saw, or fail as the route asks. Reached without a
 * verified message (the guard was walked around), it answers 200 with `verified: false`, as a
 * real handler would go on to do its work: the conformance suite fails on that.
 */
export async function answer(
  route: string,
  request: Request,
  message: VerifiedMessage<unknown> | undefined,
): Promise<Response> {
  const body = await readRequestBody(request);
  if (route === 'throw' || route === 'throws') throw new HandlerFailure();
  return Response.json(echo(route === 'throw' ? 'throws' : route, request.method, message, body), {
    status: handlerStatus(request.url),
  });
}
