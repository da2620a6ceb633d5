// The benchmark server: the same Fastify handler behind no verification, the hand-written floor,
// Signet, and the official Receiver, each reading the raw body in a preParsing hook and handing
// Fastify's JSON parser the same bytes.
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { floorVerify } from '@signet/conformance';
import { KEYS } from '@signet/conformance/fixture';
import { Receiver } from '@upstash/qstash';
import Fastify, { type FastifyRequest, type preParsingHookHandler } from 'fastify';
import { signature } from '../src/index.ts';

const app = Fastify();
const handler = async (request: FastifyRequest) => ({
  ok: true,
  items: (request.body as { order: { items: unknown[] } }).order.items.length,
});

function readAll(payload: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    payload.on('data', (chunk: Buffer) => chunks.push(chunk));
    payload.on('end', () => resolve(Buffer.concat(chunks)));
    payload.on('error', reject);
  });
}

function again(body: Buffer): Readable {
  const stream = new Readable({ read() {} }) as Readable & { receivedEncodedLength: number };
  stream.push(body);
  stream.push(null);
  stream.receivedEncodedLength = body.length;
  return stream;
}

const urlOf = (request: FastifyRequest) => `http://${request.headers.host}${request.url}`;
const signatureOf = (request: FastifyRequest) => String(request.headers['upstash-signature'] ?? '');

const floor: preParsingHookHandler = (request, reply, payload, done) => {
  readAll(payload).then((body) => {
    try {
      floorVerify(signatureOf(request), body, urlOf(request));
    } catch {
      void reply.code(401).send();
      return;
    }
    done(null, again(body));
  }, done);
};

const receiver = new Receiver(KEYS);
const official: preParsingHookHandler = (request, reply, payload, done) => {
  readAll(payload)
    .then(async (body) => {
      await receiver.verify({
        signature: signatureOf(request),
        body: body.toString('utf8'),
        url: urlOf(request),
      });
      done(null, again(body));
    })
    .catch(() => void reply.code(401).send());
};

app.post('/unverified', handler);
app.post('/floor', { preParsing: floor }, handler);
app.post('/official', { preParsing: official }, handler);
await app.register(async (scope) => {
  await scope.register(signature, KEYS);
  scope.post('/signet', handler);
});

await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`PORT ${(app.server.address() as AddressInfo).port}`);
