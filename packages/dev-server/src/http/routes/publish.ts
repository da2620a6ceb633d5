import { badRequest } from '../../errors.ts';
import {
  commitPublish,
  type PreparedPublish,
  type PublishInput,
  type PublishResult,
  preparePublish,
} from '../../publish/fan-out.ts';
import { LIMITS } from '../../publish/limits.ts';
import {
  type Context,
  destinationOf,
  pathName,
  type Reply,
  type Route,
  requestHeaders,
} from '../context.ts';

/** Stores prepared publishes with the dispatcher's next commit; resolves once they are durable. */
function commit(context: Context, prepared: PreparedPublish[]): Promise<PublishResult[]> {
  return context.dispatcher.submit(() => {
    const now = Date.now();
    return prepared.map((item) => commitPublish(context.store, item, now));
  });
}

async function publish(
  context: Context,
  destinationPath: string,
  queueName?: string,
): Promise<Reply> {
  const input: PublishInput = {
    destination: destinationOf(context, destinationPath),
    headers: requestHeaders(context),
    body: await context.body(),
    queueName,
    callerIp: context.callerIp,
  };
  const [result] = await commit(context, [preparePublish(context.store, input, Date.now())]);
  const deduplicated = Array.isArray(result)
    ? result.some((receipt) => receipt.deduplicated)
    : result && 'deduplicated' in result;
  return { status: deduplicated ? 202 : 201, body: result };
}

interface BatchItem {
  destination?: unknown;
  headers?: unknown;
  body?: unknown;
  queue?: unknown;
}

/** `/v2/batch`: all items are checked before any is stored; one bad item refuses the batch. */
async function batch(context: Context): Promise<Reply> {
  // A batch carries many bodies: the whole request has a limit of its own (refused with 413 as
  // soon as it is passed, without reading the rest), and each body is held to a message's limit.
  const items = await context.json(Math.max(LIMITS.batchBytes, context.maxBodyBytes));
  if (!Array.isArray(items) || items.length === 0)
    throw badRequest('a batch is a non-empty JSON array of messages');
  if (items.length > LIMITS.batchMessages)
    throw badRequest(`a batch holds at most ${LIMITS.batchMessages} messages, got ${items.length}`);
  const now = Date.now();
  const prepared = (items as BatchItem[]).map((item, index) => {
    const where = `batch item ${index}`;
    if (typeof item !== 'object' || item === null) throw badRequest(`${where} is not an object`);
    if (typeof item.destination !== 'string' || item.destination === '')
      throw badRequest(`${where} needs a "destination"`);
    if (item.body !== undefined && item.body !== null && typeof item.body !== 'string')
      throw badRequest(`${where}: "body" must be a string`);
    const body = new TextEncoder().encode(typeof item.body === 'string' ? item.body : '');
    if (body.byteLength > context.maxBodyBytes)
      throw badRequest(`${where}: the body is larger than the ${context.maxBodyBytes}-byte limit`);
    if (item.queue !== undefined && typeof item.queue !== 'string')
      throw badRequest(`${where}: "queue" must be a string`);
    const headers = item.headers ?? {};
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers))
      throw badRequest(`${where}: "headers" must be an object`);
    const entries = Object.entries(headers).map(([name, value]) => [name, String(value)] as const);
    try {
      return preparePublish(
        context.store,
        {
          destination: item.destination,
          headers: entries,
          body,
          queueName: item.queue,
          callerIp: context.callerIp,
        },
        now,
      );
    } catch (error) {
      throw badRequest(`${where}: ${(error as Error).message}`);
    }
  });
  return { status: 201, body: await commit(context, prepared) };
}

export const publishRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/v2\/publish\/(.+)$/s,
    handler: (context, [path]) => publish(context, path as string),
  },
  {
    method: 'POST',
    pattern: /^\/v2\/enqueue\/([^/]+)\/(.+)$/s,
    handler: (context, [queue, path]) =>
      publish(context, path as string, pathName(queue, 'queue name')),
  },
  { method: 'POST', pattern: /^\/v2\/batch$/, handler: batch },
];
