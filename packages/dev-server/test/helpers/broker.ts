// A broker per test file, in this process, driven by the official @upstash/qstash Client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@upstash/qstash';
import { type DevServer, type DevServerOptions, startDevServer } from '../../src/index.ts';
import { startReceiver, type TestReceiver } from './receiver.ts';

export interface Harness {
  server: DevServer;
  client: Client;
  receiver: TestReceiver;
  /** A raw call to the broker's API with its token (for routes the SDK has no method for). */
  api(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'signet-dev-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Retries are scaled so QStash's 12 s first backoff takes 12 ms. */
export async function startHarness(options: DevServerOptions = {}): Promise<Harness> {
  const server = await startDevServer({ port: 0, memory: true, retryScale: 1000, ...options });
  const receiver = await startReceiver(() => server.keys);
  const client = new Client({ baseUrl: server.url, token: server.token, retry: false });
  return {
    server,
    client,
    receiver,
    api: (path, init = {}) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${server.token}`, ...init.headers },
      }),
    async close() {
      await server.close();
      await receiver.close();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
