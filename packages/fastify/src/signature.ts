import { Readable } from 'node:stream';
import {
  createVerifier,
  type StandardSchemaV1,
  type VerifiedMessage,
  type VerifierOptions,
} from '@signet/core';
import { handle, nodeHeader, nodeRequestUrl, settleWhenDone } from '@signet/core/adapter';
import type {
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  preParsingHookHandler,
} from 'fastify';
import fastifyPlugin from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified QStash message, set by `@signet/fastify` on the routes it guards. */
    signet: VerifiedMessage<unknown> | null;
  }
}

export interface SignatureOptions<Schema extends StandardSchemaV1 | undefined = undefined>
  extends VerifierOptions<Schema, FastifyRequest> {
  /**
   * Pass a failure to Fastify's error handler (a `VerificationError`, with `status` and `code`)
   * instead of answering with the problem+json response. Default false.
   */
  forwardErrors?: boolean;
}

/** The verified bytes, as the stream Fastify's own content-type parsers read next. */
function replayable(body: Uint8Array): Readable & { receivedEncodedLength: number } {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const stream = new Readable({ read() {} }) as Readable & { receivedEncodedLength: number };
  stream.push(bytes);
  stream.push(null);
  // What Fastify compares with Content-Length and its body limit for a replaced stream.
  stream.receivedEncodedLength = bytes.length;
  return stream;
}

/**
 * A route-level `preParsing` hook that verifies the request before Fastify parses its body:
 * `app.post('/hooks/order', { preParsing: signatureHook() }, handler)`. The hook reads the raw
 * bytes, verifies them, then hands Fastify a stream of the same bytes, so its own JSON, text and
 * custom parsers (and schema validation) run as usual. `request.signet` is the verified message.
 * A failure is answered with the 401/413/422 problem+json response and the handler never runs.
 */
export function signatureHook<Schema extends StandardSchemaV1 | undefined = undefined>(
  options: SignatureOptions<Schema> = {},
): preParsingHookHandler {
  const { forwardErrors = false, ...verifierOptions } = options;
  const verifier = createVerifier<Schema, FastifyRequest>(verifierOptions);
  // A callback hook, not an async one: a refused request is answered and `done` is never called,
  // so nothing after this hook runs, whatever the app's onSend hooks do meanwhile.
  return function signetSignature(request, reply, payload, done) {
    handle(verifier, {
      request,
      header: nodeHeader(request.raw),
      // originalUrl: as the client sent it, also when Fastify's rewriteUrl changed request.url.
      url: () => nodeRequestUrl(request.raw, request.originalUrl),
      // `payload`, not request.raw: an earlier preParsing hook (say, decompression) may have
      // replaced it, and what it yields is what the app will parse.
      body: () => payload,
    }).then((outcome) => {
      if (outcome.ok) {
        request.signet = outcome.message as VerifiedMessage<unknown>;
        settleWhenDone(verifier, outcome.message, reply.raw);
        done(null, replayable(outcome.message.body));
      } else if (forwardErrors) {
        done(outcome.error);
      } else {
        refuse(reply, outcome.response);
      }
    }, done);
  };
}

function refuse(
  reply: FastifyReply,
  problem: { status: number; headers: Record<string, string>; body: string },
): void {
  void reply.code(problem.status).headers(problem.headers).send(problem.body);
}

/**
 * The Fastify plugin: every route of the scope it is registered in (and of the scopes inside
 * it) is verified, whatever spelling of its path the router matched, because the check belongs
 * to the routes, not to a path prefix. Bodies of content types the scope has no parser for
 * arrive as a Buffer instead of a 415. Register it inside the plugin that holds your hook routes:
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { signature } from '@signet/fastify';
 *
 * const app = Fastify();
 * await app.register(async (hooks) => {
 *   await hooks.register(signature);
 *   hooks.post('/order', async (request) => ({ received: request.signet?.id }));
 * }, { prefix: '/hooks' });
 * ```
 */
export const signature: FastifyPluginCallback<SignatureOptions<StandardSchemaV1 | undefined>> =
  fastifyPlugin(
    (instance, options, done) => {
      if (!instance.hasRequestDecorator('signet')) instance.decorateRequest('signet', null);
      instance.addHook('preParsing', signatureHook(options));
      // QStash delivers whatever content type the publisher set; Fastify would answer 415 to a
      // verified message it has no parser for. In the guarded scope, the rest is a Buffer.
      if (!instance.hasContentTypeParser('*')) {
        instance.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, parsed) =>
          parsed(null, body),
        );
      }
      done();
    },
    { name: '@signet/fastify', fastify: '4.x || 5.x' },
  );

/**
 * The verified message of a request, typed (say, with your schema's output). Throws when no
 * guard ran for this request, which is a routing mistake.
 */
export function getMessage<Data = unknown>(request: FastifyRequest): VerifiedMessage<Data> {
  if (!request.signet) {
    throw new Error(
      '@signet/fastify: no verified message on this request; is the signature plugin registered in this route’s scope?',
    );
  }
  return request.signet as VerifiedMessage<Data>;
}
