import { echo, HandlerFailure, handlerStatus, readRequestBody } from '@signet/conformance/fixture';
import type { VerifiedMessage } from '@signet/core';

/** The fixture's protected handler: echo what it saw, or fail as the route asks. */
export async function answer(
  route: string,
  request: Request,
  message: VerifiedMessage<unknown> | undefined,
): Promise<Response> {
  const body = await readRequestBody(request);
  if (route === 'throw' || route === 'throws') throw new HandlerFailure();
  if (!message) throw new Error('no verified message on a protected route');
  return Response.json(echo(route === 'throw' ? 'throws' : route, request.method, message, body), {
    status: handlerStatus(request.url),
  });
}
