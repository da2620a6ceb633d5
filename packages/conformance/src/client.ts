// The conformance suite's client: tokens made independently of Signet (plain node:crypto, in the
// documented QStash format) and requests sent over real HTTP or to an in-process fetch.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { makeToken as makeAnyToken, type TokenSpec } from '@signet/test-kit';
import { KEYS } from './fixture.ts';

export type TokenOptions = Omit<TokenSpec, 'key'> & { key?: string };

/** A token for the fixture apps: signed with their current key unless `key` says otherwise. */
export function makeToken(options: TokenOptions): string {
  return makeAnyToken({ key: KEYS.currentSigningKey, ...options });
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> | undefined;
}

/** Sends a request: over loopback HTTP, or to an in-process fetch (Web-standard runtimes). */
export type Transport = (request: Request) => Promise<Response>;

export const httpTransport: Transport = (request) => fetch(request);

export async function toReply(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export interface RawReply {
  /** 0 when the server reset the connection before an answer could be read. */
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Body bytes the client managed to write before the response arrived (or the socket closed). */
  written: number;
}

/**
 * A request over a raw socket: header names exactly as given (case preserved on the wire), and
 * an optional body streamed in chunks until the server answers, to prove it stops reading early.
 *
 * Streaming uses plain TCP rather than node:http. A server that stops reading answers and closes
 * the connection; upload bytes still in flight then meet a closed socket and get a reset, and
 * node:http drops the connection on that failed write before parsing the answer already in its
 * buffer. Reading as bytes arrive, and yielding between chunks so that reads get processed,
 * keeps the answer.
 */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    stream?: { chunk: number; total: number };
  },
): Promise<RawReply> {
  if (options.stream)
    return streamRequest(url, options.method ?? 'POST', options.headers ?? {}, options.stream);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'POST', headers: options.headers });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
          written: options.body === undefined ? 0 : Buffer.byteLength(options.body),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * A request whose target goes on the wire exactly as given, with no URL normalisation on the
 * way: a raw path (`/hooks/%2e%2e/x`) or an absolute-form URL (`http://other.example/x`). Extra
 * headers may replace `Host`.
 */
export function targetRequest(
  origin: string,
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawReply & { json: Record<string, unknown> | undefined }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: hostname,
      port,
      path: target,
      method: options.method ?? 'POST',
      headers: options.headers,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json, written: 0 });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function parseReply(raw: Buffer, written: number): RawReply | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers: IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    const parts: Buffer[] = [];
    for (let at = 0; at < body.length; ) {
      const lineEnd = body.indexOf('\r\n', at);
      if (lineEnd === -1) return undefined;
      const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
      if (size === 0) {
        body = Buffer.concat(parts);
        return {
          status: Number(statusLine?.split(' ')[1]),
          headers,
          body: body.toString(),
          written,
        };
      }
      if (lineEnd + 2 + size > body.length) return undefined;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    return undefined;
  }
  const length = Number(headers['content-length'] ?? Number.NaN);
  if (Number.isNaN(length) || body.length < length) return undefined;
  return {
    status: Number(statusLine?.split(' ')[1]),
    headers,
    body: body.subarray(0, length).toString(),
    written,
  };
}

function streamRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  stream: { chunk: number; total: number },
): Promise<RawReply> {
  const target = new URL(url);
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let written = 0;
    let reply: RawReply | undefined;
    const socket = connect(Number(target.port), target.hostname);
    // A server that stops reading and closes leaves unread bytes behind, so its kernel resets the
    // connection; a reset can overtake the answer (RFC 9112 §9.6). That ends here as status 0.
    const finish = () => {
      socket.destroy();
      resolve(reply ?? { status: 0, headers: {}, body: '', written });
    };
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      reply = parseReply(received, written);
      if (reply) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    // After the server answered and closed, the rest of the upload fails: that is the point.
    socket.on('error', () => finish());
    socket.on('connect', async () => {
      const head = [
        `${method} ${target.pathname}${target.search} HTTP/1.1`,
        `Host: ${target.host}`,
        'Transfer-Encoding: chunked',
      ];
      for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
      socket.write(`${head.join('\r\n')}\r\n\r\n`);
      const block = Buffer.alloc(stream.chunk, 0x61);
      const frame = Buffer.concat([
        Buffer.from(`${stream.chunk.toString(16)}\r\n`),
        block,
        Buffer.from('\r\n'),
      ]);
      while (!reply && !socket.destroyed && written < stream.total) {
        written += stream.chunk;
        if (!socket.write(frame)) await new Promise((resume) => socket.once('drain', resume));
        await new Promise((resume) => setImmediate(resume));
      }
      if (!reply && !socket.destroyed) socket.write('0\r\n\r\n');
    });
  });
}
