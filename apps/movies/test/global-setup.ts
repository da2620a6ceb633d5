// Builds the app once per run (adapter-node), unless the build is newer than every source file:
// `turbo run test` has just built it, and a direct `vitest run` after an edit rebuilds.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export default function setup() {
  const built = join(root, 'build', 'index.js');
  const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'vite.config.ts')));
  if (existsSync(built) && statSync(built).mtimeMs > sources) return;
  const vite = createRequire(join(root, 'package.json'))
    .resolve('vite/package.json')
    .replace(/package\.json$/, 'bin/vite.js');
  try {
    execFileSync(process.execPath, [vite, 'build'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`vite build failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}
