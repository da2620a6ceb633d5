// The fixture contract: what an app under the conformance suite serves. Every adapter's test app
// (and the Next and SvelteKit fixture apps) mounts the same routes with the same options, and
// answers with the same echo, so one suite can test them all.
import {
  github,
  memoryReplayStore,
  standardWebhooks,
  stripe,
  type VerificationError,
  type VerifiedMessage,
} from '@signet/core';
import { z } from 'zod';

export const KEYS = {
  currentSigningKey: 'sig_4nWQh7GcPZ1Jm2fHnEbw8tDkXyR3',
  nextSigningKey: 'sig_7pLmV9sQd2KaTx5HcYe1NgRbWj6F',
} as const;

/** A key the apps do not know. */
export const FOREIGN_KEY = 'sig_2ZqLt8VnMw5HcRb9KxPe3JdGy7Ua';

/** `maxBodyBytes` of the `small` route. */
export const SMALL_LIMIT = 1024;

/** The public origin the `pinned` route is configured with (`origin` option). */
export const PINNED_ORIGIN = 'https://pinned.example';

/**
 * The prefix the `prefixed` route's guard covers, in the framework's own idiom where it has one
 * (`app.use('/guarded/*', signature())`, `signatureHandle({ paths: ['/guarded'] })`); its handler
 * answers for any `/guarded/<name>`.
 */
export const GUARDED_PREFIX = '/guarded';

/** Protected routes, each with its own options (see `fixtureOptions`), and the open one. */
export const ROUTES = {
  echo: '/hooks/echo',
  small: '/hooks/small',
  replay: '/hooks/replay',
  throws: '/hooks/throw',
  schema: '/hooks/schema',
  final: '/hooks/final',
  proxy: '/hooks/proxy',
  debug: '/hooks/debug',
  pinned: '/hooks/pinned',
  prefixed: `${GUARDED_PREFIX}/echo`,
  // One route per webhook provider (with a replay store), and one with a schema.
  standard: '/hooks/standard',
  standardSchema: '/hooks/standardSchema',
  github: '/hooks/github',
  githubSchema: '/hooks/githubSchema',
  stripe: '/hooks/stripe',
  stripeSchema: '/hooks/stripeSchema',
  open: '/open/echo',
} as const;

/**
 * Each provider's secrets, as the sender shows them: the current one and the one before it (the
 * routes accept both, as during a rotation).
 */
export const PROVIDER_SECRETS = {
  standard: ['whsec_c2lnbmV0IGNvbmZvcm1hbmNlIHN0YW5kYXJk', 'whsec_b2xkIHN0YW5kYXJkIHdlYmhvb2tz'],
  github: ['signet conformance github', 'old github secret'],
  stripe: ['whsec_signet_conformance_stripe', 'whsec_old_stripe'],
} as const;

export type ProviderRoute = keyof typeof PROVIDER_SECRETS;

const providerOf = {
  standard: () => standardWebhooks({ secret: PROVIDER_SECRETS.standard }),
  github: () => github({ secret: PROVIDER_SECRETS.github }),
  stripe: () => stripe({ secret: PROVIDER_SECRETS.stripe }),
};

/** Routes the fixture apps mount one by one under `/hooks/<name>` (all but `prefixed`). */
export type HookRoute = Exclude<ProtectedRoute, 'prefixed'>;

export type ProtectedRoute = Exclude<keyof typeof ROUTES, 'open'>;

export const OrderSchema = z.object({ orderId: z.string(), total: z.number().int().positive() });

export interface RecordedError {
  route: ProtectedRoute;
  code: string;
  /** The `x-conformance-marker` header of the refused request (the suite's flush requests). */
  marker?: string;
  /** For reports sent over HTTP: which JS realm sent it, and its place in that realm's order. */
  realm?: string;
  seq?: number;
}

export type Recorder = (error: RecordedError) => void;

export const MARKER_HEADER = 'x-conformance-marker';

/** The marker header of whatever request `onError` was handed, in any framework's shape. */
function markerOf(request: unknown): string | undefined {
  type Shape = {
    headers?: { get?(name: string): string | null } & Record<string, unknown>;
    request?: { headers: { get(name: string): string | null } };
    req?: { header?(name: string): string | undefined };
  };
  const shape = request as Shape | undefined;
  // Web Requests first: Next's Edge `NextRequest` has a `request` getter that throws.
  if (typeof shape?.headers?.get === 'function')
    return shape.headers.get(MARKER_HEADER) ?? undefined;
  const value =
    shape?.req?.header?.(MARKER_HEADER) ?? // Hono's Context
    shape?.headers?.[MARKER_HEADER] ?? // a Node request
    shape?.request?.headers.get(MARKER_HEADER); // SvelteKit's RequestEvent
  return typeof value === 'string' ? value : undefined;
}

const reporting = (route: ProtectedRoute, record: Recorder) => ({
  onError: (error: VerificationError, request: unknown) => {
    const marker = markerOf(request);
    record(
      marker === undefined ? { route, code: error.code } : { route, code: error.code, marker },
    );
  },
});

const base = (route: ProtectedRoute, record: Recorder) => ({
  ...KEYS,
  ...reporting(route, record),
});

/** A provider's route: its secrets instead of QStash's keys; a replay store, or the schema. */
function provided(route: ProtectedRoute, provider: ProviderRoute, record: Recorder) {
  const extra = route.endsWith('Schema')
    ? { schema: OrderSchema }
    : { replay: memoryReplayStore() };
  return { ...reporting(route, record), provider: providerOf[provider](), ...extra };
}

/** The Signet options of each protected route. Every app uses exactly these. */
export const fixtureOptions = {
  echo: (record: Recorder) => base('echo', record),
  small: (record: Recorder) => ({ ...base('small', record), maxBodyBytes: SMALL_LIMIT }),
  replay: (record: Recorder) => ({ ...base('replay', record), replay: memoryReplayStore() }),
  throws: (record: Recorder) => ({ ...base('throws', record), replay: memoryReplayStore() }),
  schema: (record: Recorder) => ({ ...base('schema', record), schema: OrderSchema }),
  final: (record: Recorder) => ({
    ...base('final', record),
    schema: OrderSchema,
    nonRetryable: true,
  }),
  proxy: (record: Recorder) => ({ ...base('proxy', record), trustProxy: true }),
  debug: (record: Recorder) => ({ ...base('debug', record), debug: true }),
  pinned: (record: Recorder) => ({ ...base('pinned', record), origin: PINNED_ORIGIN }),
  prefixed: (record: Recorder) => base('prefixed', record),
  standard: (record: Recorder) => provided('standard', 'standard', record),
  standardSchema: (record: Recorder) => provided('standardSchema', 'standard', record),
  github: (record: Recorder) => provided('github', 'github', record),
  githubSchema: (record: Recorder) => provided('githubSchema', 'github', record),
  stripe: (record: Recorder) => provided('stripe', 'stripe', record),
  stripeSchema: (record: Recorder) => provided('stripeSchema', 'stripe', record),
};

/** The routes a fixture app mounts one by one, with their options. */
export const hookRoutes = (Object.keys(fixtureOptions) as ProtectedRoute[]).filter(
  (route): route is HookRoute => route !== 'prefixed',
);

/** What a catch-all route answers: a 2xx from a handler nobody guards. */
export const FALLBACK_ROUTE = 'fallback';

/** What the handler read through its framework's own API after verification. */
export type HandlerBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; value: string }
  | { kind: 'bytes'; base64: string }
  | { kind: 'none' };

export interface Echo {
  route: string;
  /** Whether the handler ran with a verified message (false means the guard was walked around). */
  verified: boolean;
  method: string;
  id: string | null;
  retried: number | null;
  scheduleId: string | null;
  url: string | null;
  /** The verified body, base64. */
  bodyBase64: string | null;
  data: unknown;
  handlerBody: HandlerBody;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Which idiom a handler should use to read the body, by content type. */
export function bodyKind(contentType: string | null | undefined): 'json' | 'text' | 'bytes' {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type.startsWith('text/')) return 'text';
  return 'bytes';
}

/** The echo a protected route answers with. */
export function echo(
  route: string,
  method: string,
  message: VerifiedMessage<unknown> | undefined,
  handlerBody: HandlerBody,
): Echo {
  return {
    route,
    verified: message !== undefined,
    method,
    id: message?.id ?? null,
    retried: message ? message.retried : null,
    scheduleId: message?.scheduleId ?? null,
    url: message?.url ?? null,
    bodyBase64: message ? toBase64(message.body) : null,
    data: message?.data ?? null,
    handlerBody,
  };
}

/** The status a handler answers with: `?status=NNN` on the URL, or 200. */
export function handlerStatus(url: string): number {
  const status = Number(new URL(url).searchParams.get('status') ?? '200');
  return Number.isInteger(status) && status >= 200 && status <= 599 ? status : 200;
}

/** Thrown by the `throws` route's handler, after verification. */
export class HandlerFailure extends Error {
  constructor() {
    super('the handler failed on purpose');
    this.name = 'HandlerFailure';
  }
}

/**
 * onError recorder for fixture apps that run as their own process: reports to the test's
 * collector at SIGNET_ERRORS_URL (Next's Edge routes run in sandboxes of their own, so there is
 * no memory all routes and the test could share). Each report is sent at once, numbered within
 * its realm: once a marker's report and every lower number from its realm have arrived, every
 * report made before the marker has (see `reportsComplete`).
 */
export function reportToCollector(error: RecordedError): void {
  const url = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env?.SIGNET_ERRORS_URL;
  if (!url) return;
  const slots = globalThis as { [slot: symbol]: { id: string; next: number } | undefined };
  const key = Symbol.for('signet.conformance.reports');
  slots[key] ??= { id: crypto.randomUUID(), next: 0 };
  const realm = slots[key];
  void fetch(url, {
    method: 'POST',
    body: JSON.stringify({ ...error, realm: realm.id, seq: realm.next++ }),
    headers: { 'content-type': 'application/json' },
  })
    .then((response) => response.arrayBuffer())
    .catch(() => {});
}

/**
 * True once the report of every marker in `markers` has arrived, and with it every report its
 * realm numbered before it: nothing reported before those markers is still on its way.
 */
export function reportsComplete(
  reports: readonly RecordedError[],
  markers: readonly string[],
): boolean {
  const seen = new Map<string, Set<number>>();
  for (const report of reports) {
    if (report.realm === undefined || report.seq === undefined) continue;
    const numbers = seen.get(report.realm) ?? new Set<number>();
    numbers.add(report.seq);
    seen.set(report.realm, numbers);
  }
  return markers.every((marker) => {
    const report = reports.find((candidate) => candidate.marker === marker);
    if (!report) return false;
    if (report.realm === undefined || report.seq === undefined) return true; // in-process: synchronous
    const numbers = seen.get(report.realm) as Set<number>;
    for (let seq = 0; seq < report.seq; seq++) if (!numbers.has(seq)) return false;
    return true;
  });
}

/** What a fetch-style handler reads from its Web `Request`, by content type. */
export async function readRequestBody(request: Request): Promise<HandlerBody> {
  if (request.method === 'GET' || request.method === 'HEAD') return { kind: 'none' };
  const kind = bodyKind(request.headers.get('content-type'));
  if (kind === 'json') return { kind, value: await request.json() };
  if (kind === 'text') return { kind, value: await request.text() };
  return { kind, base64: toBase64(new Uint8Array(await request.arrayBuffer())) };
}

/** The fixture routes mounted under `prefix` (`/edge/hooks/echo`), the open one at `openPath`. */
export function routesUnder(
  prefix: string,
  openPath = `${prefix}/open/echo`,
): Record<keyof typeof ROUTES, string> {
  const routes = {} as Record<keyof typeof ROUTES, string>;
  for (const [name, path] of Object.entries(ROUTES) as Array<[keyof typeof ROUTES, string]>) {
    routes[name] = name === 'open' ? openPath : `${prefix}${path}`;
  }
  return routes;
}
