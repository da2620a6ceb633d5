// The conformance fixture (see @signet/conformance/fixture) implemented with Express 5 or 4.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  bodyKind,
  echo,
  fixtureOptions,
  type HandlerBody,
  HandlerFailure,
  handlerStatus,
  type ProtectedRoute,
  type RecordedError,
  ROUTES,
  toBase64,
} from '@signet/conformance/fixture';
import type { Express, Request } from 'express';
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

  for (const route of Object.keys(fixtureOptions) as ProtectedRoute[]) {
    const middleware = signature(fixtureOptions[route](record) as Parameters<typeof signature>[0]);
    app.all(ROUTES[route], middleware, (req, res) => {
      const body = handlerBody(req);
      if (route === 'throws') throw new HandlerFailure();
      res
        .status(handlerStatus(`http://x${req.originalUrl}`))
        .json(echo(route, req.method, req.signet, body));
    });
  }
  app.all(ROUTES.open, async (req, res) => {
    res.json(echo('open', req.method, undefined, await openBody(req)));
  });
  // Express's default error handler answers 500 for the `throws` route, without the log noise.
  app.use(
    (
      error: Error,
      _req: Request,
      res: import('express').Response,
      next: (error?: unknown) => void,
    ) => {
      if (!(error instanceof HandlerFailure)) return next(error);
      res.status(500).json({ error: error.message });
    },
  );
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
