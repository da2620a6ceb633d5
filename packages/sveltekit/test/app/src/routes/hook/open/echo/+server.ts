import { echo } from '@signet/conformance/fixture';
import type { RequestHandler } from './$types';

const handler: RequestHandler = async ({ request }) =>
  Response.json(
    echo('open', request.method, undefined, { kind: 'text', value: await request.text() }),
  );
export const GET = handler;
export const POST = handler;
