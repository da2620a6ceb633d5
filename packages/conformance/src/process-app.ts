// For fixture apps that run as their own process (next start, SvelteKit's adapter-node build):
// start one, wait until it answers, and collect what its onError hooks report over HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { RecordedError } from './fixture.ts';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Receives `POST {route, code}` from the app's onError hooks (see the fixture apps' record()). */
export class ErrorCollector {
  readonly #server: Server;
  #errors: RecordedError[] = [];
  url = '';

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.#errors.push(JSON.parse(Buffer.concat(chunks).toString()) as RecordedError);
        res.end();
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/errors`;
    return this.url;
  }

  /** The errors so far, once reports have stopped arriving (they are sent without waiting). */
  async errors(): Promise<RecordedError[]> {
    await new Promise((resolve) => setTimeout(resolve, 60));
    for (let seen = -1; seen !== this.#errors.length; ) {
      seen = this.#errors.length;
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    return [...this.#errors];
  }

  async reset(): Promise<void> {
    await this.errors();
    this.#errors = [];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

export interface AppProcess {
  origin: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts a server process and resolves once `readyPath` answers (any status below 500). */
export async function startApp(options: {
  command: string;
  args: string[];
  cwd: string;
  port: number;
  env: Record<string, string>;
  readyPath: string;
  timeoutMs?: number;
}): Promise<AppProcess> {
  let output = '';
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  const origin = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the app exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${origin}${options.readyPath}`);
      await response.arrayBuffer();
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `the app did not answer within ${options.timeoutMs ?? 60_000} ms:\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return {
    origin,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
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
