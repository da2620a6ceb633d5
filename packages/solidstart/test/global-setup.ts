// Builds the SolidStart fixture app once per test run for each SolidStart the peer range spans
// (test/app on the latest 2.x, test/app-start2.0.0 on 2.0.0 with test/app's src/ copied in):
// `vite build` with the Nitro 3 plugin (node_server preset), the production server in .output/.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { FIXTURES } from './server.ts';

export default function setup() {
  const app = fileURLToPath(new URL('./app', import.meta.url));
  for (const { dir } of FIXTURES) {
    const cwd = fileURLToPath(new URL(`./${dir}`, import.meta.url));
    if (dir !== 'app') {
      rmSync(`${cwd}/src`, { recursive: true, force: true });
      cpSync(`${app}/src`, `${cwd}/src`, { recursive: true });
    }
    build(cwd, dir);
  }
}

function build(cwd: string, dir: string) {
  const vite = createRequire(`${cwd}/package.json`)
    .resolve('vite/package.json')
    .replace(/package\.json$/, 'bin/vite.js');
  const started = performance.now();
  try {
    execFileSync(process.execPath, [vite, 'build'], {
      cwd,
      // Vitest sets NODE_ENV=test, which would give SolidStart's development build.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `vite build of the SolidStart fixture (${dir}) failed:\n${stdout ?? ''}${stderr ?? ''}`,
    );
  }
  console.log(
    `vite build of the SolidStart fixture (${dir}): ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
