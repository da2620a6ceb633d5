import { echo, readRequestBody } from '@signet/conformance/fixture';
import type { APIEvent } from '@solidjs/start/server';

const open = async (event: APIEvent) =>
  Response.json(
    echo('open', event.request.method, undefined, await readRequestBody(event.request)),
  );

export const GET = open;
export const POST = open;
