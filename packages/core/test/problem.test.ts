import { describe, expect, it, vi } from 'vitest';
import { adapter, builds } from './builds.ts';
import { KEYS, makeToken, URL_ } from './tokens.ts';

const { handle } = adapter;

const DESIGN_TABLE = {
  SIGNATURE_MISSING: 401,
  SIGNATURE_MALFORMED: 401,
  ALGORITHM_REJECTED: 401,
  SIGNATURE_INVALID: 401,
  ISSUER_MISMATCH: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_NOT_YET_VALID: 401,
  URL_MISMATCH: 401,
  BODY_MISMATCH: 401,
  BODY_TOO_LARGE: 413,
  REPLAYED: 401,
  BODY_INVALID: 422,
  BODY_UNREADABLE: 400,
  REPLAY_STORE_UNAVAILABLE: 503,
  BODY_ALREADY_PARSED: 500,
};

describe.each(builds)('%s build: problem responses', (_name, build) => {
  const {
    VerificationError,
    toProblem,
    problemResponse,
    toResponse,
    errorStatuses,
    createVerifier,
  } = build;

  it('uses the codes and statuses of the design table, every one of them', () => {
    // A code added to the public list without a row here fails this test.
    expect(Object.keys(errorStatuses).sort()).toEqual(Object.keys(DESIGN_TABLE).sort());
    for (const [code, status] of Object.entries(DESIGN_TABLE)) {
      expect(errorStatuses[code as keyof typeof errorStatuses]).toBe(status);
      expect(new VerificationError(code as keyof typeof errorStatuses).status).toBe(status);
    }
  });

  it('builds an RFC 9457 body: type, title, status, code, detail', () => {
    const problem = toProblem(
      new VerificationError('TOKEN_EXPIRED', { debugDetail: 'exp 1 < now 2' }),
    );
    expect(problem).toEqual({
      type: 'urn:signet:error:token-expired',
      title: 'Token expired',
      status: 401,
      code: 'TOKEN_EXPIRED',
      detail: 'The token has expired.',
    });
    expect(
      toProblem(new VerificationError('TOKEN_EXPIRED', { debugDetail: 'exp 1 < now 2' }), {
        debug: true,
      }).detail,
    ).toBe('The token has expired. exp 1 < now 2');
  });

  it('never shows the expected URL or hashes without debug', async () => {
    const verifier = createVerifier(KEYS);
    const internal = 'http://10.1.2.3:8080/internal/hook';
    const outcome = await handle(verifier, {
      request: new Request(internal),
      header: (name) => (name === 'upstash-signature' ? makeToken() : null),
      url: () => internal,
      body: () => '{}',
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.response.body).not.toContain('10.1.2.3');
    expect(outcome.response.body).not.toContain(URL_);
    const debugging = createVerifier({ ...KEYS, debug: true });
    const verbose = await handle(debugging, {
      request: new Request(internal),
      header: (name) => (name === 'upstash-signature' ? makeToken() : null),
      url: () => internal,
      body: () => '{}',
    });
    expect(verbose.ok ? '' : verbose.response.body).toContain('10.1.2.3');
  });

  it('answers with application/problem+json and no-store', () => {
    const response = problemResponse(new VerificationError('SIGNATURE_MISSING'));
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(response.body).code).toBe('SIGNATURE_MISSING');
  });

  it('closes the connection on 413, so the rest of the body is not sent', () => {
    expect(problemResponse(new VerificationError('BODY_TOO_LARGE')).headers.connection).toBe(
      'close',
    );
  });

  it('answers a schema failure with 489 + Upstash-NonRetryable-Error when nonRetryable is set', () => {
    const error = new VerificationError('BODY_INVALID', { issues: [{ message: 'bad' }] });
    const plain = problemResponse(error);
    expect(plain.status).toBe(422);
    expect(plain.headers['upstash-nonretryable-error']).toBeUndefined();
    const final = problemResponse(error, { nonRetryable: true });
    expect(final.status).toBe(489);
    expect(final.headers['upstash-nonretryable-error']).toBe('true');
    expect(JSON.parse(final.body)).toMatchObject({
      status: 489,
      code: 'BODY_INVALID',
      issues: [{ message: 'bad' }],
    });
    // Only schema failures: a bad signature is still retried (it may be a key rotation race).
    expect(
      problemResponse(new VerificationError('SIGNATURE_INVALID'), { nonRetryable: true }).status,
    ).toBe(401);
  });

  it('converts to a Web Response', async () => {
    const response = toResponse(problemResponse(new VerificationError('REPLAYED')));
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'REPLAYED' });
  });

  describe('handle() for adapters', () => {
    const incoming = (token: string | null) => ({
      request: new Request(URL_),
      header: (name: string) => (name === 'upstash-signature' ? token : null),
      url: () => URL_,
      body: () => '{"a":1}',
    });

    it('calls onError once per failure with the error and the request', async () => {
      const onError = vi.fn();
      const verifier = createVerifier({ ...KEYS, onError });
      const input = incoming(null);
      const outcome = await handle(verifier, input);
      expect(outcome.ok).toBe(false);
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'SIGNATURE_MISSING' });
      expect(onError.mock.calls[0]?.[1]).toBe(input.request);
    });

    it('does not call onError on success', async () => {
      const onError = vi.fn();
      const verifier = createVerifier({ ...KEYS, onError });
      const outcome = await handle(verifier, incoming(makeToken({ body: '{"a":1}' })));
      expect(outcome.ok).toBe(true);
      expect(onError).not.toHaveBeenCalled();
    });

    it('survives an onError hook that throws, still answering the problem', async () => {
      const log = { warn: vi.fn(), error: vi.fn() };
      const verifier = createVerifier({
        ...KEYS,
        logger: log,
        onError: () => {
          throw new Error('logger down');
        },
      });
      const outcome = await handle(verifier, incoming(null));
      expect(outcome.ok ? 0 : outcome.response.status).toBe(401);
      expect(log.error).toHaveBeenCalledWith('@signet/core: onError threw', expect.any(Error));
    });

    it('lets errors that are not verification failures (bugs) propagate', async () => {
      const verifier = createVerifier({
        ...KEYS,
        url: () => {
          throw new Error('bug in the url function');
        },
      });
      await expect(handle(verifier, incoming(makeToken()))).rejects.toThrow(
        'bug in the url function',
      );
    });
  });
});
