import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { builds } from './builds.ts';
import { KEYS, makeToken, URL_ } from './tokens.ts';

const Order = z.object({ orderId: z.string(), total: z.number().int().positive() });
const OrderV = v.object({
  orderId: v.string(),
  total: v.pipe(v.number(), v.integer(), v.minValue(1)),
});

describe.each(builds)('%s build: schema validation', (_name, { createVerifier, toProblem }) => {
  const verifyWith = async (schema: typeof Order | typeof OrderV, body: string) => {
    const verifier = createVerifier({ ...KEYS, schema });
    return verifier.verify({ signature: makeToken({ body }), body, url: URL_ });
  };

  it('gives the parsed, typed body as message.data (zod)', async () => {
    const verifier = createVerifier({ ...KEYS, schema: Order });
    const body = JSON.stringify({ orderId: 'ord_1', total: 10, extra: true });
    const message = await verifier.verify({ signature: makeToken({ body }), body, url: URL_ });
    expectTypeOf(message.data).toEqualTypeOf<{ orderId: string; total: number }>();
    expect(message.data).toEqual({ orderId: 'ord_1', total: 10 });
  });

  it('works with valibot too', async () => {
    const message = await verifyWith(OrderV, JSON.stringify({ orderId: 'ord_2', total: 3 }));
    expect(message.data).toEqual({ orderId: 'ord_2', total: 3 });
  });

  it('leaves data undefined without a schema', async () => {
    const verifier = createVerifier(KEYS);
    const body = '{}';
    const message = await verifier.verify({ signature: makeToken({ body }), body, url: URL_ });
    expectTypeOf(message.data).toEqualTypeOf<undefined>();
    expect(message.data).toBeUndefined();
  });

  it('rejects a body the schema refuses with BODY_INVALID (422), listing the issues', async () => {
    for (const schema of [Order, OrderV]) {
      try {
        await verifyWith(schema, JSON.stringify({ orderId: 7, total: -1 }));
        expect.unreachable();
      } catch (error) {
        const e = error as InstanceType<(typeof builds)[0][1]['VerificationError']>;
        expect(e.code).toBe('BODY_INVALID');
        expect(e.status).toBe(422);
        const problem = toProblem(e);
        expect(problem.issues?.map((issue) => issue.path).sort()).toEqual(['orderId', 'total']);
        // Only message and path are copied from each issue, never the library's raw `input`.
        for (const issue of problem.issues ?? [])
          expect(Object.keys(issue).sort()).toEqual(['message', 'path']);
      }
    }
  });

  it('rejects a body that is not JSON with BODY_INVALID', async () => {
    await expect(verifyWith(Order, 'not json')).rejects.toMatchObject({ code: 'BODY_INVALID' });
    await expect(verifyWith(Order, '')).rejects.toMatchObject({ code: 'BODY_INVALID' });
  });

  it('checks the signature before the schema', async () => {
    const verifier = createVerifier({ ...KEYS, schema: Order });
    await expect(
      verifier.verify({ signature: makeToken({ key: 'sig_other' }), body: 'not json', url: URL_ }),
    ).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('supports async schemas', async () => {
    const Async = z
      .object({ id: z.string() })
      .refine(async (value) => value.id.startsWith('ok'), 'id must start with ok');
    const verifier = createVerifier({ ...KEYS, schema: Async });
    const good = '{"id":"ok-1"}';
    expect(
      (await verifier.verify({ signature: makeToken({ body: good }), body: good, url: URL_ })).data,
    ).toEqual({ id: 'ok-1' });
    const bad = '{"id":"no"}';
    await expect(
      verifier.verify({ signature: makeToken({ body: bad }), body: bad, url: URL_ }),
    ).rejects.toMatchObject({
      code: 'BODY_INVALID',
    });
  });
});
