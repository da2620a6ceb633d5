// For tests of apps that run from a production build: build once per test run, and only when a
// source file is newer than the build (`turbo run test` has usually just built it).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export interface BuildOptions {
  /** The app's folder. */
  cwd: string;
  /** A file the build writes, relative to cwd (its age is the build's age). */
  output: string;
  /** Files and folders, relative to cwd, whose changes need a new build. */
  sources: string[];
  /** The build tool's package and its bin script inside it, e.g. ['vite', 'bin/vite.js']. */
  bin: [pkg: string, script: string];
  args: string[];
  env?: Record<string, string>;
}

export function buildIfStale(options: BuildOptions): void {
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
    throw new Error(
      `${pkg} ${options.args.join(' ')} failed in ${options.cwd}:\n${stdout ?? ''}${stderr ?? ''}`,
    );
  }
}
