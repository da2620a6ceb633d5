import {
  createVerifier,
  type InferData,
  type StandardSchemaV1,
  type VerifiedMessage,
  type VerifierOptions,
} from '@signet/core';
import { handle, type IncomingRequest, runSettled } from '@signet/core/adapter';
import {
  eventBody,
  eventHeader,
  eventUrl,
  type HttpEvent,
  isV2,
  type ProblemResult,
  resultStatus,
  v1ClaimUrl,
} from './events.ts';

export interface SignatureOptions<Schema extends StandardSchemaV1 | undefined = undefined>
  extends VerifierOptions<Schema, HttpEvent> {
  /**
   * The base path of a custom domain's API mapping (`'/orders'` for `api.example.com/orders`):
   * HTTP API (v2) events leave it out of `rawPath`, but QStash called the URL with it.
   */
  basePath?: string;
}

/** The event your handler receives: the one Lambda passed, with the verified message on it. */
export type SignedEvent<Event, Data = unknown> = Event & { signet: VerifiedMessage<Data> };

function checkBasePath(basePath: string): string {
  if (basePath === '' || basePath === '/') return '';
  if (!basePath.startsWith('/')) {
    throw new TypeError(
      `@signet/lambda: basePath must start with "/"; got ${JSON.stringify(basePath)}`,
    );
  }
  return basePath.endsWith('/') ? basePath.slice(0, -1) : basePath;
}

/**
 * Wraps a Lambda handler behind API Gateway (HTTP API or REST API) or a Function URL so that it
 * runs only for requests QStash signed. The event reaches your handler with `event.signet`, the
 * verified message (`data` typed from `schema`); any other request is answered with the 401/413/422
 * problem+json result. A handler that throws, or answers non-2xx, releases the replay mark so
 * QStash's retry gets through.
 *
 * @example
 * ```ts
 * import { withSignature } from '@signet/lambda';
 *
 * export const handler = withSignature(async (event) => {
 *   const order = event.signet.json();
 *   return { statusCode: 200, body: JSON.stringify({ received: event.signet.id }) };
 * });
 * ```
 */
export function withSignature<
  Event extends HttpEvent,
  Result,
  Context = unknown,
  Schema extends StandardSchemaV1 | undefined = undefined,
>(
  handler: (
    event: SignedEvent<Event, InferData<Schema>>,
    context: Context,
  ) => Result | Promise<Result>,
  options: SignatureOptions<Schema> = {},
): (event: Event, context: Context) => Promise<Result | ProblemResult> {
  const { basePath = '', ...verifierOptions } = options;
  const prefix = checkBasePath(basePath);
  const verifier = createVerifier<Schema, HttpEvent>(verifierOptions);

  return async function signetHandler(event, context) {
    const incoming: IncomingRequest<HttpEvent> = {
      request: event,
      header: (name) => eventHeader(event, name),
      url: () => eventUrl(event, prefix),
      body: () => eventBody(event),
    };
    // A REST API event has no raw query string: compare the token's URL in the same spelling.
    if (!isV2(event)) incoming.claimUrl = v1ClaimUrl;
    const outcome = await handle(verifier, incoming);
    if (!outcome.ok) {
      const { status, headers, body } = outcome.response;
      return { statusCode: status, headers, body };
    }
    const signed = event as SignedEvent<Event, InferData<Schema>>;
    signed.signet = outcome.message;
    return runSettled(
      verifier,
      outcome.message,
      () => handler(signed, context),
      (result) => resultStatus(event, result),
    );
  };
}
