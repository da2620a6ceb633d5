import { webCrypto } from './crypto/web.ts';
import { utf8Encoder } from './encoding.ts';
import { processEnv } from './keys.ts';
import { secretBytes } from './providers/standard-webhooks.ts';
import { defineCreateSigner, type SignInput } from './sign.ts';

// One entry for every runtime, so the Web backend (which Node has too).
const createSigner = defineCreateSigner(webCrypto);

/**
 * Helpers for testing your own handlers: make requests signed exactly like QStash's, with the
 * keys your verifier uses, in one line.
 *
 * ```ts
 * import { signedRequest } from '@signet/core/testing';
 * const response = await POST(await signedRequest('https://app.test/api/hook', { json: { id: 1 } }));
 * ```
 */

export { generateSigningKey } from './random.ts';

export interface SignRequestOptions extends Omit<SignInput, 'url'> {
  /** The URL the request will be sent to (the token's `sub`). */
  url: string;
  /** Signing key. Default `QSTASH_CURRENT_SIGNING_KEY`. */
  key?: string;
  /** `Upstash-Message-Id`. Default a random `msg_…` id. */
  messageId?: string;
  /** `Upstash-Retried`. Default 0. */
  retried?: number;
  /** `Upstash-Schedule-Id`, as for a scheduled delivery. */
  scheduleId?: string;
}

export interface SignedHeaders {
  /** The token alone. */
  signature: string;
  /** Every header QStash would add: signature, message id, retried (and schedule id). */
  headers: Record<string, string>;
}

function keyFrom(option: string | undefined): string {
  const key = option ?? processEnv().QSTASH_CURRENT_SIGNING_KEY;
  if (!key) {
    throw new TypeError(
      '@signet/core/testing: pass `key`, or set QSTASH_CURRENT_SIGNING_KEY to the key your verifier uses',
    );
  }
  return key;
}

/** Signs a request body for `url` and returns the headers QStash would send with it. */
export async function signRequest(options: SignRequestOptions): Promise<SignedHeaders> {
  const { key, messageId, retried, scheduleId, ...input } = options;
  const signature = await createSigner({ key: keyFrom(key) }).sign(input);
  const headers: Record<string, string> = {
    'upstash-signature': signature,
    'upstash-message-id': messageId ?? `msg_${crypto.randomUUID().replaceAll('-', '')}`,
    'upstash-retried': String(retried ?? 0),
  };
  if (scheduleId) headers['upstash-schedule-id'] = scheduleId;
  return { signature, headers };
}

export interface SignedRequestInit extends Omit<SignRequestOptions, 'url' | 'body'> {
  /** Default POST. */
  method?: string;
  /** A raw body (sent and signed as is). */
  body?: string | Uint8Array | null;
  /** A JSON body: serialised once, signed, and sent with `content-type: application/json`. */
  json?: unknown;
  /** More headers to send (they are not signed, as with QStash). */
  headers?: Record<string, string>;
}

/** A Web `Request` to `url`, signed as QStash would sign it, ready to hand to your handler. */
export async function signedRequest(
  url: string | URL,
  init: SignedRequestInit = {},
): Promise<Request> {
  const { method = 'POST', json, headers: extra, body: rawBody, ...signing } = init;
  const body = json !== undefined ? JSON.stringify(json) : (rawBody ?? undefined);
  const { headers } = await signRequest({ ...signing, url: String(url), body });
  if (json !== undefined) headers['content-type'] = 'application/json';
  return new Request(url, {
    method,
    headers: { ...headers, ...extra },
    body: method === 'GET' || method === 'HEAD' ? undefined : (body as BodyInit | undefined),
  });
}

// Webhook providers: headers exactly as each sender makes them, for tests of handlers guarded
// with `provider: standardWebhooks(…) | github(…) | stripe(…)`.

export interface WebhookSignInput {
  /** The secret the provider shows you (the same string your verifier is given). */
  secret: string;
  /** The exact body that will be sent. */
  body: string | Uint8Array;
  /** Seconds since the epoch. Default now. */
  timestamp?: number;
}

async function macOf(
  secret: Uint8Array,
  prefix: string,
  body: string | Uint8Array,
  encoding: 'base64' | 'hex',
): Promise<string> {
  return webCrypto.mac(await webCrypto.importRawKey(secret), prefix, body, encoding);
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** `webhook-id`, `webhook-timestamp`, `webhook-signature`, as a Standard Webhooks sender signs. */
export async function signStandardWebhook(
  input: WebhookSignInput & { id?: string },
): Promise<Record<string, string>> {
  const id = input.id ?? `msg_${crypto.randomUUID().replaceAll('-', '')}`;
  const timestamp = String(input.timestamp ?? nowSeconds());
  const signature = await macOf(
    secretBytes(input.secret),
    `${id}.${timestamp}.`,
    input.body,
    'base64',
  );
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature}`,
  };
}

/** `X-Hub-Signature-256`, `X-GitHub-Event`, `X-GitHub-Delivery`, as GitHub sends them. */
export async function signGitHubWebhook(
  input: Omit<WebhookSignInput, 'timestamp'> & { event?: string; delivery?: string },
): Promise<Record<string, string>> {
  const signature = await macOf(utf8Encoder.encode(input.secret), '', input.body, 'hex');
  return {
    'x-hub-signature-256': `sha256=${signature}`,
    'x-github-event': input.event ?? 'ping',
    'x-github-delivery': input.delivery ?? crypto.randomUUID(),
  };
}

/** `Stripe-Signature: t=…,v1=…`, as Stripe signs an event. */
export async function signStripeWebhook(input: WebhookSignInput): Promise<Record<string, string>> {
  const t = String(input.timestamp ?? nowSeconds());
  const signature = await macOf(utf8Encoder.encode(input.secret), `${t}.`, input.body, 'hex');
  return { 'stripe-signature': `t=${t},v1=${signature}` };
}
