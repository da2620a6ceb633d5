import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SigningKeys } from '@signet/core';
import { Dispatcher } from './delivery/dispatcher.ts';
import { ApiError } from './errors.ts';
import { type Context, parseJson, type Route, readBody } from './http/context.ts';
import { hostCheck, hostRefusal } from './http/host-check.ts';
import { renderPage } from './http/pages/router.ts';
import { sendJson, sendProblem } from './http/respond.ts';
import { devRoutes } from './http/routes/dev.ts';
import { dlqRoutes } from './http/routes/dlq.ts';
import { eventRoutes } from './http/routes/events.ts';
import { flowControlRoutes } from './http/routes/flow-control.ts';
import { keyRoutes } from './http/routes/keys.ts';
import { messageRoutes } from './http/routes/messages.ts';
import { publishRoutes } from './http/routes/publish.ts';
import { queueRoutes } from './http/routes/queues.ts';
import { scheduleRoutes } from './http/routes/schedules.ts';
import { unsupportedRoutes } from './http/routes/unsupported.ts';
import { urlGroupRoutes } from './http/routes/url-groups.ts';
import { waitNotifyRoutes } from './http/routes/wait-notify.ts';
import { workflowDlqRoutes } from './http/routes/workflow-dlq.ts';
import { workflowHookRoutes } from './http/routes/workflow-hooks.ts';
import { workflowRoutes } from './http/routes/workflows.ts';
import type { Durability } from './store/db.ts';
import { Store } from './store/store.ts';

/** The official SDK's development token: with `QSTASH_DEV=1` the SDK sends it, unconfigured. */
export const DEV_TOKEN = 'eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=';
export const DEFAULT_PORT = 8080;

export interface DevServerOptions {
  /** Port to listen on; 0 picks a free one. Default 8080, the SDK's development port. */
  port?: number;
  /** Default 127.0.0.1: the broker is for this machine only. */
  host?: string;
  /** Folder for the SQLite database. Default `.signet`. */
  dataDir?: string;
  /** Keep everything in memory: nothing survives a restart. */
  memory?: boolean;
  /** `normal` (default) survives the process being killed; `full` also a power cut, slower. */
  durability?: Durability;
  /** Divides QStash's retry backoff; 60 turns 12 s into 0.2 s. Default 1. */
  retryScale?: number;
  /** API token (`QSTASH_TOKEN`). Default: the SDK's development token. */
  token?: string;
  /** Signing keys. Default: the ones stored in the data folder, else the SDK's development keys. */
  keys?: SigningKeys;
  /** Deliveries in flight at once. Default 64. */
  concurrency?: number;
  /** Per-attempt timeout for messages without `Upstash-Timeout`, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Largest message body accepted, in bytes. Default 1 MiB, QStash's own limit on most plans. */
  maxBodyBytes?: number;
  /**
   * Host names to answer besides 127.0.0.1, localhost, [::1] and `host` (for a tunnel or another
   * machine on the network). Requests for any other `Host` get 403: see http/host-check.ts.
   */
  allowedHosts?: readonly string[];
  /** Receives one line per finished delivery attempt; default silent. */
  log?: (line: string) => void;
}

export interface DevServer {
  /** Base URL for the SDK (`QSTASH_URL`), e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  token: string;
  /** The signing keys as they are now (`QSTASH_CURRENT_SIGNING_KEY`, `QSTASH_NEXT_SIGNING_KEY`). */
  readonly keys: SigningKeys;
  /** Where the database lives, or `:memory:`. */
  location: string;
  /** Messages left in flight by a previous run and queued again at start. */
  recovered: number;
  /** Stops listening and delivering; waits for nothing longer than in-flight requests to abort. */
  close(): Promise<void>;
}

const ROUTES: Route[] = [
  ...publishRoutes,
  ...messageRoutes,
  ...queueRoutes,
  ...scheduleRoutes,
  ...urlGroupRoutes,
  ...dlqRoutes,
  ...flowControlRoutes,
  ...eventRoutes,
  ...keyRoutes,
  ...devRoutes,
  ...workflowRoutes,
  ...workflowDlqRoutes,
  ...workflowHookRoutes,
  ...waitNotifyRoutes,
  ...unsupportedRoutes,
];

function authorized(request: IncomingMessage, expected: Buffer): boolean {
  const given = Buffer.from(request.headers.authorization ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function callerIp(request: IncomingMessage): string | undefined {
  const address = request.socket.remoteAddress;
  return address?.startsWith('::ffff:') ? address.slice(7) : address;
}

/** Starts the broker: opens (or creates) its database, resumes deliveries, and listens. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const token = options.token ?? DEV_TOKEN;
  const expected = Buffer.from(`Bearer ${token}`);
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const store = new Store({
    dataDir: options.dataDir,
    memory: options.memory,
    durability: options.durability ?? 'normal',
    keys: options.keys,
  });
  const dispatcher = new Dispatcher(store, {
    concurrency: options.concurrency ?? 64,
    retryScale: options.retryScale ?? 1,
    timeoutMs: options.timeoutMs ?? 30_000,
    log: options.log,
  });
  let origin = '';
  const hostAllowed = hostCheck(options.host ?? '127.0.0.1', options.allowedHosts ?? []);

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const host = request.headers.host;
    if (!hostAllowed(host)) return sendProblem(response, 403, hostRefusal(host as string));
    const target = request.url ?? '/';
    const queryAt = target.indexOf('?');
    const path = queryAt === -1 ? target : target.slice(0, queryAt);
    const search = queryAt === -1 ? '' : target.slice(queryAt);

    if (request.method === 'GET' || request.method === 'HEAD') {
      const page = renderPage(store, origin, path);
      if (page !== undefined) {
        response
          .writeHead(page.status, {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
          })
          .end(page.html);
        return;
      }
    }
    if (!path.startsWith('/v2/'))
      return sendProblem(response, 404, `no such route: ${request.method} ${path}`);
    const all = ROUTES.filter((route) => route.pattern.test(path));
    const served = all.filter((route) => !route.fallback);
    const matching = served.length > 0 ? served : all;
    const route = matching.find((candidate) => candidate.method === request.method);
    if (!route?.public && !authorized(request, expected)) {
      return sendProblem(
        response,
        401,
        'missing or wrong bearer token: send "Authorization: Bearer <QSTASH_TOKEN>" as printed by signet dev',
        {
          'www-authenticate': 'Bearer',
        },
      );
    }
    if (!route) {
      if (matching.length === 0)
        return sendProblem(response, 404, `no such route: ${request.method} ${path}`);
      const allow = [...new Set(matching.map((candidate) => candidate.method))].join(', ');
      return sendProblem(response, 405, `${request.method} is not allowed here; use ${allow}`, {
        allow,
      });
    }
    const context: Context = {
      request,
      path,
      search,
      query: new URLSearchParams(search),
      store,
      dispatcher,
      callerIp: callerIp(request),
      maxBodyBytes,
      body: (limit = maxBodyBytes) => readBody(request, limit),
      json: async (limit = maxBodyBytes) => parseJson(await readBody(request, limit)),
    };
    const params = (route.pattern.exec(path) ?? []).slice(1) as string[];
    const reply = await route.handler(context, params);
    sendJson(response, reply.status, reply.body);
  };

  const server = createServer({ keepAliveTimeout: 10_000 }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof ApiError) return sendProblem(response, error.status, error.message);
      console.error('signet dev: internal error', error);
      if (!response.headersSent)
        sendProblem(response, 500, `internal error: ${(error as Error).message}`);
      else response.destroy();
    });
  });

  const { recovered } = dispatcher.start();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_PORT, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await dispatcher.close();
    await store.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new Error(
        `signet dev: port ${options.port ?? DEFAULT_PORT} is in use; pick another with --port (or QSTASH_DEV_PORT)`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  let closing: Promise<void> | undefined;

  return {
    url: origin,
    port: address.port,
    token,
    get keys() {
      return store.keys.keys;
    },
    location: store.db.location,
    recovered,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await dispatcher.close();
        await stopped;
        await store.close();
      })();
      return closing;
    },
  };
}
