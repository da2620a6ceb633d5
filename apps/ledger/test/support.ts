// What this app's tests need around it, with nothing but Node and `pg`: a free port, the app as a
// child process, polling, a production build when the sources changed, a PostgreSQL database of
// its own (in the machine's server, or a whole server of its own that a test may stop and
// start), and a Redis server of its own. The demos each carry a copy, so each can be copied out
// of the repository alone.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls until `check` returns something truthy, or fails naming `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface AppProcess {
  origin: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node ...args` in `cwd` and resolves once `readyPath` answers below 500. */
export async function startApp(options: {
  args: string[];
  cwd: string;
  port: number;
  env: Record<string, string>;
  readyPath: string;
  timeoutMs?: number;
}): Promise<AppProcess> {
  let output = '';
  const child = spawn(process.execPath, options.args, {
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
  await eventually(
    `node ${options.args.join(' ')} to answer on ${origin}${options.readyPath}`,
    async () => {
      if (child.exitCode !== null)
        throw new Error(`the app exited with ${child.exitCode}:\n${output}`);
      const response = await fetch(`${origin}${options.readyPath}`).catch(() => undefined);
      await response?.arrayBuffer();
      return response !== undefined && response.status < 500;
    },
    options.timeoutMs ?? 60_000,
  );
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

/** A database the tests may create other databases from (the machine's PostgreSQL). */
export const ADMIN_URL =
  process.env.TEST_DATABASE_URL ?? `postgres://${userInfo().username}@127.0.0.1:5432/test`;

async function run(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates an empty database next to ADMIN_URL's and returns its URL. */
export async function createTestDatabase(prefix: string, admin = ADMIN_URL): Promise<string> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`.replace(/\W/g, '_');
  await run(admin, `CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.href;
}

export async function dropTestDatabase(databaseUrl: string, admin = ADMIN_URL): Promise<void> {
  await run(
    admin,
    `DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`,
  );
}

function postgresBin(): string {
  const base = '/usr/lib/postgresql';
  const version = existsSync(base) ? readdirSync(base).sort().at(-1) : undefined;
  const bin = version ? join(base, version, 'bin') : '';
  if (!bin || !existsSync(join(bin, 'initdb'))) {
    throw new Error(
      'the outage tests need PostgreSQL server binaries (Debian: apt-get install postgresql)',
    );
  }
  return bin;
}

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/**
 * Runs `node <bin> ...args` (a build) in `cwd` unless `output` is newer than every one of
 * `sources`: once per test run, and not at all right after `npm run build`.
 */
export function buildIfStale(options: {
  cwd: string;
  output: string;
  sources: string[];
  bin: [pkg: string, script: string];
  args: string[];
  env?: Record<string, string>;
}): void {
  const output = join(options.cwd, options.output);
  const sources = Math.max(...options.sources.map((source) => newest(join(options.cwd, source))));
  if (existsSync(output) && statSync(output).mtimeMs > sources) return;
  const [pkg, script] = options.bin;
  const bin = createRequire(join(options.cwd, 'package.json'))
    .resolve(`${pkg}/package.json`)
    .replace(/package\.json$/, script);
  try {
    execFileSync(process.execPath, [bin, ...options.args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${pkg} ${options.args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

/** The server refuses to run as root; as root, run its tools as the `postgres` user. */
function asServerUser(command: string, args: string[]): void {
  const root = process.getuid?.() === 0;
  execFileSync(
    root ? 'runuser' : command,
    root ? ['-u', 'postgres', '--', command, ...args] : args,
    {
      stdio: 'ignore',
    },
  );
}

/**
 * A PostgreSQL server of the test's own, on its own port, that the test may stop and start
 * (the machine's shared server is never touched).
 */
export async function startPostgresServer(): Promise<{
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'signet-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  const data = join(dir, 'data');
  const port = await freePort();
  asServerUser(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async () =>
    asServerUser(join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-o',
      options,
      '-l',
      join(dir, 'log'),
      '-w',
      'start',
    ]);
  const stop = async () =>
    asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async destroy() {
      await stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Redis server of the test's own, on its own port, that the test may stop and start. */
export async function startRedisServer(): Promise<{
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}> {
  const port = await freePort();
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await eventually(
      `redis-server on ${port}`,
      () =>
        new Promise<boolean>((resolve) => {
          const socket = new Socket();
          socket.once('connect', () => {
            socket.destroy();
            resolve(true);
          });
          socket.once('error', () => resolve(false));
          socket.connect(port, '127.0.0.1');
        }),
    );
  };
  const stop = async () => {
    const running = server;
    server = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, stop, start };
}
