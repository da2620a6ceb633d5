// Builds the Nuxt fixture app (test/app) once per test run: `nuxt build`, Nitro's node-server
// preset, the production server in .output/.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function setup() {
  const cwd = fileURLToPath(new URL('./app', import.meta.url));
  const nuxi = createRequire(`${cwd}/package.json`)
    .resolve('nuxt/package.json')
    .replace(/package\.json$/, 'bin/nuxt.mjs');
  const started = performance.now();
  try {
    execFileSync(process.execPath, [nuxi, 'build'], {
      cwd,
      // Vitest sets NODE_ENV=test; the fixture is a production build.
      env: { ...process.env, NODE_ENV: 'production', NUXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`nuxt build of the fixture app failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  console.log(
    `nuxt build of the fixture app: ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
