// A brand-new npm project outside the repository (`npm init -y`), with Signet's packages installed
// from their packed tarballs, and a process in it.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '@signet/test-kit';
import { inject } from 'vitest';

/**
 * The environment a person's shell has: the test runner's own variables (NODE_ENV=test, which
 * makes Next skip `.env.local`, and VITEST_*) removed.
 */
export function shellEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name === 'NODE_ENV' || name.startsWith('VITEST') || name === 'TEST') delete env[name];
  }
  return { ...env, ...extra };
}

/** npm, quiet and without phoning home; the registry is the only network this machine has. */
export function npm(cwd: string, args: string[]): string {
  try {
    return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: shellEnv({ npm_config_update_notifier: 'false' }),
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

/** The `@signet/*` packages `name` depends on, directly or not, from the workspace's manifests. */
function signetDependencies(name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  seen.add(name);
  const packagesDir = fileURLToPath(new URL('../../', import.meta.url));
  for (const dir of readdirSync(packagesDir)) {
    const file = join(packagesDir, dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
    };
    if (manifest.name !== name) continue;
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      if (dependency.startsWith('@signet/')) signetDependencies(dependency, seen);
    }
  }
  return seen;
}

/**
 * The npm install arguments for `packages`: each `@signet/*` package as its packed tarball,
 * together with the tarballs of the `@signet/*` packages it depends on (npm would otherwise look
 * for those on the registry), everything else as named.
 */
export function withTarballs(packages: readonly string[]): string[] {
  const tarballs = inject('tarballs');
  const out = new Set<string>();
  for (const name of packages) {
    if (!name.startsWith('@signet/')) {
      out.add(name);
      continue;
    }
    for (const needed of signetDependencies(name)) {
      const tarball = tarballs[needed];
      if (!tarball) throw new Error(`no tarball for ${needed}`);
      out.add(tarball);
    }
  }
  return [...out];
}

/** Runs a command to completion in `cwd` (a build), failing with its output. */
export function run(
  cwd: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): void {
  try {
    execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`,
    );
  }
}

export function newProject(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `signet-${prefix}-`));
  npm(dir, ['init', '-y']);
  return dir;
}

export function write(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

/** The README's `.env` block with the placeholders filled in. */
export function envFile(block: string, values: Record<string, string>): string {
  return block.replace(/^(\w+)=.*$/gm, (line, name: string) =>
    name in values ? `${name}=${values[name]}` : line,
  );
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Running {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `command args` in `cwd`; resolves once `ready` says so (polling), or fails with its output. */
export async function start(
  cwd: string,
  command: string,
  args: string[],
  options: {
    env?: Record<string, string>;
    ready: (output: string) => Promise<boolean> | boolean;
    timeoutMs?: number;
  },
): Promise<Running> {
  let output = '';
  const child = spawn(command, args, {
    cwd,
    env: shellEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  const running: Running = {
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        try {
          process.kill(-(child.pid as number), 'SIGTERM');
        } catch {
          resolve();
        }
        setTimeout(() => {
          try {
            process.kill(-(child.pid as number), 'SIGKILL');
          } catch {}
        }, 5000).unref();
      }),
  };
  try {
    await eventually(
      `${command} ${args.join(' ')} to be ready`,
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
        return options.ready(output);
      },
      { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 100 },
    );
  } catch (error) {
    await running.stop();
    throw new Error(`${(error as Error).message}:\n${output}`);
  }
  return running;
}

/** True once something answers HTTP on the port. */
export const answers = (url: string) => () =>
  fetch(url).then(
    async (response) => {
      await response.arrayBuffer();
      return true;
    },
    () => false,
  );
