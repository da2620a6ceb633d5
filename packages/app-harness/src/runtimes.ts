// Serving a module on the runtimes Signet's users run besides Node: Bun, Deno and Cloudflare's
// workerd, each from its npm package (the binary ships inside a platform package, so nothing is
// downloaded at install time), each listening on its own port with nothing in front. The module is in the Workers format, which all three serve as it
// is: `export default { fetch(request, env) }`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type AppProcess, freePort, startApp } from './process.ts';

export const RUNTIMES = ['bun', 'deno', 'workerd'] as const;
export type Runtime = (typeof RUNTIMES)[number];

export interface Served {
  origin: string;
  output(): string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** workerd's binary, from its Linux x64 platform package. */
function workerdBinary(): string {
  const local = createRequire(require.resolve('workerd/package.json'));
  return join(
    dirname(local.resolve('@cloudflare/workerd-linux-64/package.json')),
    'bin',
    'workerd',
  );
}

/** The binary inside a runtime's platform package (Linux x64 here, as on CI). */
function binary(runtime: 'bun' | 'deno'): string {
  const wrapper = dirname(require.resolve(`${runtime}/package.json`));
  const local = createRequire(join(wrapper, 'package.json'));
  if (runtime === 'bun') {
    return join(dirname(local.resolve('@oven/bun-linux-x64/package.json')), 'bin', 'bun');
  }
  return join(dirname(local.resolve('@deno/linux-x64-glibc/package.json')), 'deno');
}

/** The runtime's own version line, for test names and reports. */
export function runtimeVersion(runtime: Runtime): string {
  const manifest = require(`${runtime}/package.json`) as { version: string };
  return `${runtime} ${manifest.version}`;
}

export interface ServeOptions {
  /** The module to serve (TypeScript is fine: Bun and Deno run it, esbuild bundles it for workerd). */
  entry: string;
  /** Environment variables (Bun, Deno) or bindings (workerd). */
  env?: Record<string, string>;
  /** The package whose node_modules the entry's imports resolve from (default: the entry's folder). */
  cwd?: string;
}

async function serveProcess(runtime: 'bun' | 'deno', options: ServeOptions): Promise<AppProcess> {
  const port = await freePort();
  const args =
    runtime === 'bun'
      ? ['run', options.entry]
      : [
          'serve',
          '--quiet',
          '--allow-net',
          '--allow-env',
          '--allow-read',
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          options.entry,
        ];
  return startApp({
    command: binary(runtime),
    args,
    cwd: options.cwd ?? dirname(options.entry),
    port,
    // Bun serves a default-exported `fetch` on PORT; Deno takes --port.
    env: { ...options.env, PORT: String(port), NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
    readyPath: '/',
  });
}

/** A Workers module bundled as wrangler bundles it: one ES module, Workers' conditions. */
async function bundleForWorkers(options: ServeOptions): Promise<string> {
  const { build } = await import('esbuild');
  const bundled = await build({
    entryPoints: [options.entry],
    absWorkingDir: options.cwd ?? dirname(options.entry),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  });
  return bundled.outputFiles[0]?.text ?? '';
}

/**
 * workerd itself, listening on the port with nothing in front (no dev proxy rewriting what
 * arrives), configured in its own Cap'n Proto format: the module, its text bindings, and no
 * `nodejs_compat`, so the Web build must need nothing of Node.
 */
async function serveWorkerd(options: ServeOptions): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'signet-workerd-'));
  writeFileSync(join(dir, 'worker.js'), await bundleForWorkers(options));
  const port = await freePort();
  const bindings = Object.entries(options.env ?? {})
    .map(([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`)
    .join(', ');
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2026-07-30",
  bindings = [${bindings}],
);
`,
  );
  const app = await startApp({
    command: workerdBinary(),
    args: ['serve', join(dir, 'config.capnp'), '--verbose'],
    cwd: dir,
    port,
    env: {},
    readyPath: '/',
  });
  return {
    origin: app.origin,
    output: app.output,
    stop: async () => {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Serves `entry` on `runtime` on a free loopback port. */
export async function serveOn(runtime: Runtime, options: ServeOptions): Promise<Served> {
  if (runtime === 'workerd') return serveWorkerd(options);
  const app = await serveProcess(runtime, options);
  return { origin: app.origin, output: app.output, stop: app.stop };
}
