import { describe, expect, it } from 'vitest';
import { nextRun, parseCron } from '../src/cron.ts';
import { backoffMs, compileRetryDelay, retryAfterMs } from '../src/delivery/retry-policy.ts';
import { parseDuration } from '../src/publish/duration.ts';
import { parsePublishHeaders } from '../src/publish/publish-headers.ts';
import { newId } from '../src/store/ids.ts';

describe('backoff', () => {
  it("follows QStash's table: 12 s, 2 m 28 s, 30 m 8 s, 6 h 7 m, then a day", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => Math.round(backoffMs(n, 1) / 1000))).toEqual([
      12, 148, 1808, 22026, 86400, 86400,
    ]);
    expect(backoffMs(1, 1000)).toBe(12);
  });

  it('reads Retry-After as seconds or an HTTP date, capped at a day', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('999999', now)).toBe(86_400_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe('Upstash-Retry-Delay expressions', () => {
  it('evaluates the documented grammar', () => {
    expect(compileRetryDelay('1000')(5)).toBe(1000);
    expect(compileRetryDelay('1000 * (1 + retried)')(2)).toBe(3000);
    expect(compileRetryDelay('pow(2, retried) * 1000')(3)).toBe(8000);
    expect(compileRetryDelay('max(1000, pow(2, retried) * 100)')(2)).toBe(1000);
    expect(compileRetryDelay('min(sqrt(retried) * 10, abs(-7))')(4)).toBe(7);
    expect(compileRetryDelay('floor(exp(retried)) + ceil(0.2) - round(0.4)')(1)).toBe(3);
  });

  it('never runs code, and rejects anything outside the grammar', () => {
    for (const source of [
      'process.exit(1)',
      'retried; 1',
      'constructor',
      '1000 +',
      'pow(2',
      '(1))',
      'eval("1")',
      '`1`',
    ]) {
      expect(() => compileRetryDelay(source), source).toThrow();
    }
  });

  it('turns nonsense results into no delay rather than NaN', () => {
    expect(compileRetryDelay('sqrt(0 - 1)')(0)).toBe(0);
    expect(compileRetryDelay('1 / 0')(0)).toBe(0);
    expect(compileRetryDelay('0 - 5')(0)).toBe(0);
  });
});

describe('durations', () => {
  it('reads the units QStash uses', () => {
    expect(['10s', '5m', '2h', '1d', '250ms', '30', '1.5s'].map(parseDuration)).toEqual([
      10_000, 300_000, 7_200_000, 86_400_000, 250, 30_000, 1500,
    ]);
    for (const bad of ['-5s', '5 minutes', '', 's', '1e3s'])
      expect(parseDuration(bad), bad).toBeUndefined();
  });
});

describe('cron', () => {
  it('accepts five fields, with an optional CRON_TZ, and explains what is wrong otherwise', () => {
    expect(() => parseCron('*/5 * * * *')).not.toThrow();
    expect(() => parseCron('CRON_TZ=Europe/Berlin 0 9 * * 1-5')).not.toThrow();
    expect(() => parseCron('0 0 9 * * *')).toThrow(/five fields/);
    expect(() => parseCron('61 * * * *')).toThrow(/not a valid cron/);
    expect(() => parseCron('CRON_TZ=Not/AZone 0 9 * * *')).toThrow(/unknown time zone/);
    expect(nextRun('0 0 * * *', Date.parse('2026-03-04T10:00:00Z'))).toBe(
      Date.parse('2026-03-05T00:00:00Z'),
    );
  });
});

describe('publish headers', () => {
  const parse = (headers: Record<string, string>) =>
    parsePublishHeaders(Object.entries(headers), 1_000_000);

  it('turns Upstash-Forward-* into plain headers and keeps the content type, nothing else', () => {
    const options = parse({
      'content-type': 'text/plain',
      'upstash-forward-x-a': '1',
      'upstash-method': 'put',
      'upstash-retries': '0',
      authorization: 'Bearer qstash-token',
      'x-not-forwarded': 'no',
    });
    expect(options.headers).toEqual({ 'content-type': 'text/plain', 'x-a': '1' });
    expect(options.method).toBe('PUT');
    expect(options.maxRetries).toBe(0);
  });

  it('lets Upstash-Not-Before win over Upstash-Delay, and defaults to now and 3 retries', () => {
    expect(parse({}).notBefore).toBe(1_000_000);
    expect(parse({}).maxRetries).toBe(3);
    expect(parse({ 'upstash-delay': '10s' }).notBefore).toBe(1_010_000);
    expect(parse({ 'upstash-delay': '10s', 'upstash-not-before': '5000' }).notBefore).toBe(
      5_000_000,
    );
  });

  it('reads the callback settings', () => {
    const options = parse({
      'upstash-callback': 'https://cb.example/ok',
      'upstash-callback-retries': '1',
      'upstash-callback-timeout': '5s',
      'upstash-callback-forward-x-trace': 't1',
      'upstash-failure-callback': 'https://cb.example/fail',
      'upstash-failure-callback-method': 'put',
    });
    expect(options.callbackConfig).toEqual({
      callback: { retries: 1, timeoutMs: 5000, headers: { 'x-trace': 't1' } },
      failureCallback: { method: 'PUT' },
    });
    expect(options.headers).toEqual({});
  });
});

describe('ids', () => {
  it('look like QStash ids and sort by creation time', () => {
    const first = newId.message();
    expect(first).toMatch(/^msg_[1-9A-HJ-NP-Za-km-z]{24}$/);
    const later: string[] = [];
    const start = Date.now();
    while (Date.now() < start + 3) later.push(newId.message());
    const last = later.at(-1) as string;
    expect(last.slice(0, 12) >= first.slice(0, 12)).toBe(true);
    expect(newId.dlq()).toMatch(/^dlq_/);
    expect(newId.schedule()).toMatch(/^scd_/);
  });
});
