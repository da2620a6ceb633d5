import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '@signet/test-kit';
import { afterAll, expect, it } from 'vitest';
import { DEFAULT_PORT } from '../src/index.ts';
import { startCli } from './helpers/cli.ts';

const APP = fileURLToPath(new URL('./fixtures/qstash-dev-app.mjs', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'signet-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** 8080 when it is free (the SDK's default), else a free port passed as QSTASH_DEV_PORT to both sides. */
async function devPort(): Promise<number> {
  const probe = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const { port: bound } = server.address() as { port: number };
        server.close(() => resolve(bound));
      });
    });
  return (await probe(DEFAULT_PORT)) ?? ((await probe(0)) as number);
}

it('serves the official SDK in QSTASH_DEV=1 mode, with no URL, token or keys configured, and nothing downloaded', async () => {
  const port = await devPort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
    // The workflow SDK's Next.js types (serveMany in the workflow tests) make it required.
    NODE_ENV: process.env.NODE_ENV,
  };
  if (port !== DEFAULT_PORT) env.QSTASH_DEV_PORT = String(port);
  const data = join(home, 'data');
  // `signet dev` with no flags but the data folder: default port, token and keys.
  const broker = await startCli(['dev', '--data', data], env);
  try {
    expect(broker.url).toBe(`http://127.0.0.1:${port}`);
    const app = spawn(process.execPath, [APP], {
      env: { ...env, QSTASH_DEV: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    app.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    app.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => app.once('exit', resolve));
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(result).toMatchObject({ verified: true, body: '{"hello":"dev"}' });
    expect(stdout).toMatch(/Server already running/); // its probe of GET /v2/keys found us
    expect(`${stdout}${stderr}`).not.toMatch(/Downloading/);
    // The SDK creates its binary cache folder only when it goes to download.
    expect(existsSync(join(home, '.cache', 'upstash'))).toBe(false);
    // The app exits as soon as it has answered; the broker logs the delivery once it has read
    // that answer, which can be a moment later.
    await eventually(`the broker's log of ${result.messageId}`, () =>
      broker.output().includes(result.messageId),
    );
  } finally {
    broker.child.kill('SIGTERM');
    expect(await broker.exited).toBe(0);
  }
});
