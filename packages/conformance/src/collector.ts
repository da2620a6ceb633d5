// For fixture apps that run as their own process (next start, SvelteKit's adapter-node build):
// what their onError hooks report over HTTP, and the process's life around a test file.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppProcess } from '@signet/app-harness/process';
import { eventually } from '@signet/test-kit';
import { afterAll, beforeAll } from 'vitest';
import { type RecordedError, reportsComplete } from './fixture.ts';

/** Receives `POST {route, code, marker}` from the app's onError hooks (`reportToCollector`). */
export class ErrorCollector {
  readonly #server: Server;
  /** Every report since the start (the suite's completeness check needs the whole sequence). */
  #all: RecordedError[] = [];
  /** Where the current window (since the last reset) begins in #all. */
  #since = 0;
  url = '';

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.#all.push(JSON.parse(Buffer.concat(chunks).toString()) as RecordedError);
        res.end();
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/errors`;
    return this.url;
  }

  /**
   * The errors received so far. Reports travel on their own, after the response: the suite
   * knows all of them are in once the marker requests it sends last have been reported (see
   * `Harness.reportsAsync`), not after some quiet period.
   */
  async errors(): Promise<RecordedError[]> {
    return this.#all.slice(this.#since);
  }

  /** Every report since the collector started, resets or not. */
  async reports(): Promise<RecordedError[]> {
    return [...this.#all];
  }

  /** Resolves once `marker`'s report, and every report made before it, has arrived. */
  async waitForMarker(marker: string): Promise<void> {
    await eventually(`the app's reports up to ${marker}`, () =>
      reportsComplete(this.#all, [marker]),
    );
  }

  async reset(): Promise<void> {
    this.#since = this.#all.length;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/**
 * Starts a fixture process and its collector before the file's tests and stops both after;
 * the returned object is filled in once `beforeAll` ran.
 */
export function fixtureProcess(
  start: () => Promise<{ app: AppProcess; collector: ErrorCollector }>,
): { app: AppProcess; collector: ErrorCollector } {
  const running = {} as { app: AppProcess; collector: ErrorCollector };
  beforeAll(async () => {
    Object.assign(running, await start());
  }, 120_000);
  afterAll(async () => {
    await running.app?.stop();
    await running.collector?.close();
  });
  return running;
}
