// The fixture's protected routes for the Pages Router: one wrapped handler per route name, made
// once, as an app would at module level.
import {
  bodyKind,
  echo,
  fixtureOptions,
  type HandlerBody,
  HandlerFailure,
  handlerStatus,
  type ProtectedRoute,
  reportToCollector,
  toBase64,
} from '@signet/conformance/fixture';
import { getMessage, verifySignature } from '@signet/next';
import type { NextApiHandler, NextApiRequest } from 'next';

function handlerBody(req: NextApiRequest): HandlerBody {
  if (req.method === 'GET' || req.method === 'HEAD') return { kind: 'none' };
  const kind = bodyKind(req.headers['content-type']);
  if (kind === 'json') return { kind, value: req.body };
  if (kind === 'text') return { kind, value: req.body ?? '' };
  return { kind, base64: toBase64(req.body ?? new Uint8Array(0)) };
}

function route(name: ProtectedRoute): NextApiHandler {
  return verifySignature(
    (req, res) => {
      const body = handlerBody(req);
      if (name === 'throws') throw new HandlerFailure();
      res
        .status(handlerStatus(`http://x${req.url}`))
        .json(echo(name, req.method ?? 'GET', getMessage(req), body));
    },
    fixtureOptions[name](reportToCollector) as Parameters<typeof verifySignature>[1],
  );
}

export const routes = Object.fromEntries(
  (Object.keys(fixtureOptions) as ProtectedRoute[]).map((name) => [name, route(name)]),
) as Record<ProtectedRoute, NextApiHandler>;
