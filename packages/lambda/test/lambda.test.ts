// Events shaped exactly like AWS's documented examples (API Gateway's "Working with AWS Lambda
// proxy integrations for HTTP APIs" payload 2.0 and 1.0, and the Lambda Function URL example),
// signed for the URL API Gateway was called with.
import { KEYS, makeToken } from '@signet/conformance';
import { memoryReplayStore, type VerifiedMessage } from '@signet/core';
import { type DevServer, startDevServer } from '@signet/dev-server';
import { eventually } from '@signet/test-kit';
import { Client } from '@upstash/qstash';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyHandler,
  APIGatewayProxyHandlerV2,
  APIGatewayProxyResultV2,
  Context,
  LambdaFunctionURLEvent,
  LambdaFunctionURLHandler,
} from 'aws-lambda';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { type SignedEvent, withSignature } from '../src/index.ts';
import { serveOverHttp } from './shim.ts';

const context = {} as Context;

/** Payload format 2.0, as in the API Gateway developer guide. */
function httpApiEvent(overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/my/path',
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    cookies: ['cookie1', 'cookie2'],
    headers: { header1: 'value1', header2: 'value1,value2' },
    queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api-id',
      domainName: 'id.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'id',
      http: {
        method: 'POST',
        path: '/my/path',
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'agent',
      },
      requestId: 'id',
      routeKey: '$default',
      stage: '$default',
      time: '12/Mar/2020:19:03:58 +0000',
      timeEpoch: 1583348638390,
    },
    body: 'Hello from Lambda',
    pathParameters: {},
    isBase64Encoded: false,
    stageVariables: {},
    ...overrides,
  };
}

/** The Lambda Function URL example event (payload 2.0 on a lambda-url domain). */
function functionUrlEvent(): LambdaFunctionURLEvent {
  const base = httpApiEvent({
    rawPath: '/my/path',
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    body: 'Hello from client!',
  });
  return {
    ...base,
    requestContext: {
      ...base.requestContext,
      apiId: '<urlid>',
      domainName: '<url-id>.lambda-url.us-west-2.on.aws',
      domainPrefix: '<url-id>',
    },
  } as LambdaFunctionURLEvent;
}

/** REST API (payload 1.0), stage `prod`, called on the execute-api domain. */
function restApiEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    resource: '/my/path',
    path: '/my/path',
    httpMethod: 'POST',
    headers: { Header1: 'value1', Header2: 'value2' },
    multiValueHeaders: { Header1: ['value1'], Header2: ['value1', 'value2'] },
    queryStringParameters: { parameter1: 'value2', parameter2: 'value' },
    multiValueQueryStringParameters: { parameter1: ['value1', 'value2'], parameter2: ['value'] },
    requestContext: {
      accountId: '123456789012',
      apiId: 'id',
      authorizer: { claims: null, scopes: null },
      domainName: 'id.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'id',
      extendedRequestId: 'request-id',
      httpMethod: 'POST',
      identity: { sourceIp: '192.0.2.1' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: '/prod/my/path',
      protocol: 'HTTP/1.1',
      requestId: 'id=',
      requestTime: '04/Mar/2020:19:15:17 +0000',
      requestTimeEpoch: 1583349317135,
      resourceId: null as unknown as string,
      resourcePath: '/my/path',
      stage: 'prod',
    },
    pathParameters: null,
    stageVariables: null,
    body: 'Hello from Lambda!',
    isBase64Encoded: false,
    ...overrides,
  };
}

const DOC_QUERY = '?parameter1=value1&parameter1=value2&parameter2=value';
const sign = (url: string, body: string | Uint8Array) => makeToken({ url, body });

function withToken<E extends { headers: unknown }>(
  event: E,
  token: string,
  name = 'upstash-signature',
): E {
  return { ...event, headers: { ...(event.headers as object), [name]: token } };
}

describe('@signet/lambda on the documented events', () => {
  const echo = withSignature(
    async (event: SignedEvent<APIGatewayProxyEventV2 | APIGatewayProxyEvent>) => ({
      statusCode: 200,
      body: JSON.stringify({ url: event.signet.url, text: event.signet.text() }),
    }),
    KEYS,
  );

  it('HTTP API (2.0): verifies against https, the domain, rawPath and rawQueryString', async () => {
    const url = `https://id.execute-api.us-east-1.amazonaws.com/my/path${DOC_QUERY}`;
    const event = withToken(httpApiEvent(), sign(url, 'Hello from Lambda'));
    const result = (await echo(event, context)) as { statusCode: number; body: string };
    expect(result.statusCode, result.body).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ url, text: 'Hello from Lambda' });
  });

  it('Function URL: verifies against the lambda-url domain', async () => {
    const url = `https://<url-id>.lambda-url.us-west-2.on.aws/my/path${DOC_QUERY}`;
    const event = withToken(functionUrlEvent(), sign(url, 'Hello from client!'));
    const handler: LambdaFunctionURLHandler = withSignature(
      async () => ({ statusCode: 204 }),
      KEYS,
    );
    expect(await handler(event, context, () => {})).toEqual({ statusCode: 204 });
  });

  it('REST API (1.0): the stage is part of the URL; the query is compared as the event groups it', async () => {
    const withStage = `https://id.execute-api.us-east-1.amazonaws.com/prod/my/path${DOC_QUERY}`;
    const ok = (await echo(
      withToken(restApiEvent(), sign(withStage, 'Hello from Lambda!')),
      context,
    )) as {
      statusCode: number;
      body: string;
    };
    expect(ok.statusCode, ok.body).toBe(200);
    const noStage = `https://id.execute-api.us-east-1.amazonaws.com/my/path${DOC_QUERY}`;
    const refused = (await echo(
      withToken(restApiEvent(), sign(noStage, 'Hello from Lambda!')),
      context,
    )) as {
      statusCode: number;
      body: string;
    };
    expect(refused.statusCode).toBe(401);
    expect(JSON.parse(refused.body).code).toBe('URL_MISMATCH');
  });

  it('REST API (1.0): reads the header in the case the client sent it, from multiValueHeaders', async () => {
    const url = `https://id.execute-api.us-east-1.amazonaws.com/prod/my/path${DOC_QUERY}`;
    const token = sign(url, 'Hello from Lambda!');
    const event = restApiEvent();
    event.multiValueHeaders = { ...event.multiValueHeaders, 'Upstash-Signature': [token] };
    event.headers = { ...event.headers, 'Upstash-Signature': token };
    const result = (await echo(event, context)) as { statusCode: number };
    expect(result.statusCode).toBe(200);
  });

  it('decodes a base64 body (binary content types) and verifies its bytes', async () => {
    const bytes = Uint8Array.from([0, 255, 128, 10, 13, 0xfe, 0xff]);
    const url = `https://id.execute-api.us-east-1.amazonaws.com/my/path${DOC_QUERY}`;
    const event = withToken(
      httpApiEvent({ body: Buffer.from(bytes).toString('base64'), isBase64Encoded: true }),
      sign(url, bytes),
    );
    const handler = withSignature(
      async (signed: SignedEvent<APIGatewayProxyEventV2>) => ({
        statusCode: 200,
        body: Buffer.from(signed.signet.body).toString('hex'),
      }),
      KEYS,
    );
    expect(await handler(event, context)).toEqual({ statusCode: 200, body: '00ff800a0dfeff' });
  });

  it('adds basePath for a custom domain API mapping, which rawPath leaves out', async () => {
    const url = 'https://api.example.com/orders/my/path';
    const handler = withSignature(async () => ({ statusCode: 200 }), {
      ...KEYS,
      basePath: '/orders/',
    });
    const event = withToken(
      httpApiEvent({
        rawQueryString: '',
        requestContext: { ...httpApiEvent().requestContext, domainName: 'api.example.com' },
      }),
      sign(url, 'Hello from Lambda'),
    );
    expect(await handler(event, context)).toEqual({ statusCode: 200 });
    expect(() => withSignature(async () => ({ statusCode: 200 }), { basePath: 'orders' })).toThrow(
      /basePath must start with "\/"/,
    );
  });

  it('answers a refusal as a problem result without calling the handler', async () => {
    let called = false;
    const handler = withSignature(async () => {
      called = true;
      return { statusCode: 200 };
    }, KEYS);
    const result = (await handler(httpApiEvent(), context)) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
    expect(called).toBe(false);
    expect(result.statusCode).toBe(401);
    expect(result.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(result.body)).toMatchObject({ code: 'SIGNATURE_MISSING', status: 401 });
  });

  describe('replay marks follow what the handler answered', () => {
    const url = `https://id.execute-api.us-east-1.amazonaws.com/my/path${DOC_QUERY}`;
    const once = (answer: () => unknown) =>
      withSignature(async () => answer(), { ...KEYS, replay: memoryReplayStore() });

    it('keeps the mark after a 2xx, so the same token is refused', async () => {
      const handler = once(() => ({ statusCode: 200 }));
      const event = withToken(httpApiEvent(), sign(url, 'Hello from Lambda'));
      expect(await handler(event, context)).toEqual({ statusCode: 200 });
      const again = (await handler(event, context)) as { statusCode: number; body: string };
      expect(JSON.parse(again.body).code).toBe('REPLAYED');
    });

    it('releases it after a 5xx, a throw, or a REST API result without statusCode (a 502 there)', async () => {
      const event = withToken(httpApiEvent(), sign(url, 'Hello from Lambda'));
      let answers = 0;
      const failing = once(() => (answers++ === 0 ? { statusCode: 500 } : { statusCode: 200 }));
      expect(await failing(event, context)).toEqual({ statusCode: 500 });
      expect(await failing(event, context)).toEqual({ statusCode: 200 });

      let throws = true;
      const throwing = once(() => {
        if (throws) {
          throws = false;
          throw new Error('boom');
        }
        return { statusCode: 200 };
      });
      await expect(throwing(event, context)).rejects.toThrow('boom');
      expect(await throwing(event, context)).toEqual({ statusCode: 200 });

      const restUrl = `https://id.execute-api.us-east-1.amazonaws.com/prod/my/path${DOC_QUERY}`;
      const rest = withToken(restApiEvent(), sign(restUrl, 'Hello from Lambda!'));
      let bare = true;
      const bareResult = once(() => {
        if (bare) {
          bare = false;
          return 'not a proxy result';
        }
        return { statusCode: 200 };
      });
      expect(await bareResult(rest, context)).toBe('not a proxy result');
      expect(await bareResult(rest, context)).toEqual({ statusCode: 200 });
    });
  });

  it('types the event with the message, and fits the aws-lambda handler types', () => {
    const Order = z.object({ orderId: z.string() });
    const v2: APIGatewayProxyHandlerV2 = withSignature(
      async (event: SignedEvent<APIGatewayProxyEventV2, { orderId: string }>) => {
        expectTypeOf(event.signet).toEqualTypeOf<VerifiedMessage<{ orderId: string }>>();
        return {
          statusCode: 200,
          body: event.signet.data.orderId,
        } satisfies APIGatewayProxyResultV2;
      },
      { ...KEYS, schema: Order },
    );
    const v1: APIGatewayProxyHandler = withSignature(
      async () => ({ statusCode: 200, body: '' }),
      KEYS,
    );
    expect(typeof v2).toBe('function');
    expect(typeof v1).toBe('function');
  });
});

describe('@signet/lambda behind a stand-in API Gateway', () => {
  let broker: DevServer | undefined;
  let server: { origin: string; close(): Promise<void> } | undefined;
  afterAll(async () => {
    await server?.close();
    await broker?.close();
  });

  it('runs for a message published with the official Client through signet dev', async () => {
    broker = await startDevServer({ port: 0, memory: true, log: () => {} });
    const received: string[] = [];
    let handler: ((event: never, context: unknown) => Promise<unknown>) | undefined;
    server = await serveOverHttp('2.0', (event, ctx) =>
      (handler as NonNullable<typeof handler>)(event, ctx),
    );
    const port = new URL(server.origin).port;
    handler = withSignature(
      async (event: SignedEvent<APIGatewayProxyEventV2>) => {
        received.push(event.signet.text());
        return { statusCode: 200 };
      },
      // The stand-in serves http on loopback; API Gateway would be https on its domain.
      {
        currentSigningKey: broker.keys.current,
        nextSigningKey: broker.keys.next,
        origin: `http://127.0.0.1:${port}`,
      },
    ) as never;
    const qstash = new Client({ baseUrl: broker.url, token: broker.token });
    const { messageId } = await qstash.publishJSON({
      url: `http://127.0.0.1:${port}/hooks/order`,
      body: { orderId: 'o_1' },
    });
    expect(messageId).toBeTruthy();
    await eventually('the handler to run', () => received.length === 1 || undefined);
    expect(JSON.parse(received[0] as string)).toEqual({ orderId: 'o_1' });
  });
});
