// Builds the SolidStart fixture app (test/app) once per test run: `vite build` with the Nitro 3
// plugin (node_server preset), the production server in .output/.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function setup() {
  const cwd = fileURLToPath(new URL('./app', import.meta.url));
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
      `vite build of the SolidStart fixture app failed:\n${stdout ?? ''}${stderr ?? ''}`,
    );
  }
  console.log(
    `vite build of the SolidStart fixture app: ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
