import { handler } from './handler';

// What any verifier that leaves the body unread for the handler must do at least: clone the
// request and read the clone to the end. The Signet route is measured against this.
export async function cloneThenHandle(request: Request): Promise<Response> {
  await request.clone().arrayBuffer();
  return handler(request);
}
