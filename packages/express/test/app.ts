// The conformance fixture (see @signet/conformance/fixture) implemented with Express 5 or 4.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  bodyKind,
  echo,
  FALLBACK_ROUTE,
  fixtureOptions,
  GUARDED_PREFIX,
  type HandlerBody,
  HandlerFailure,
  handlerStatus,
  hookRoutes,
  type ProtectedRoute,
  type RecordedError,
  ROUTES,
  toBase64,
} from '@signet/conformance/fixture';
import type { Express, Request, Response } from 'express';
import { signature } from '../src/index.ts';

export type ExpressFactory = () => Express;

function handlerBody(req: Request): HandlerBody {
  if (req.method === 'GET' || req.method === 'HEAD') return { kind: 'none' };
  const kind = bodyKind(req.headers['content-type']);
  // What Express gives the handler in req.body, with no parser of its own mounted.
  if (kind === 'json') return { kind, value: req.body };
  if (kind === 'text') return { kind, value: req.body ?? '' };
  return { kind, base64: toBase64(req.body ?? new Uint8Array(0)) };
}

function openBody(req: Request): Promise<HandlerBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve({ kind: 'text', value: Buffer.concat(chunks).toString() }));
  });
}

export function createFixtureApp(express: ExpressFactory) {
  const errors: RecordedError[] = [];
  const record = (error: RecordedError) => errors.push(error);
  const app = express();

  const handler = (route: ProtectedRoute) => (req: Request, res: Response) => {
    const body = handlerBody(req);
    if (route === 'throws') throw new HandlerFailure();
    res
      .status(handlerStatus(`http://x${req.originalUrl}`))
      .json(echo(route, req.method, req.signet, body));
  };
  const options = (route: ProtectedRoute) =>
    fixtureOptions[route](record) as Parameters<typeof signature>[0];

  for (const route of hookRoutes) app.all(ROUTES[route], signature(options(route)), handler(route));
  // The README's idiom: one middleware for a whole prefix.
  app.use(GUARDED_PREFIX, signature(options('prefixed')));
  app.all(`${GUARDED_PREFIX}/:name`, handler('prefixed'));
  app.all(ROUTES.open, async (req, res) => {
    res.json(echo('open', req.method, undefined, await openBody(req)));
  });
  app.use((_req: Request, res: Response) => {
    res.json({ route: FALLBACK_ROUTE });
  });
  // Express's default error handler answers 500 for the `throws` route, without the log noise.
  app.use((error: Error, _req: Request, res: Response, next: (error?: unknown) => void) => {
    if (!(error instanceof HandlerFailure)) return next(error);
    res.status(500).json({ error: error.message });
  });
  return { app, errors };
}

export function listen(app: Express): Promise<{ origin: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server: Server = app.listen(0, '127.0.0.1', () => {
      resolve({
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
