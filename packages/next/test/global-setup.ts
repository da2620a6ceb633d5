// Builds the fixture app (test/app) with `next build` once per test run.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function setup() {
  const cwd = fileURLToPath(new URL('./app', import.meta.url));
  const next = createRequire(`${cwd}/package.json`).resolve('next/dist/bin/next');
  const started = performance.now();
  try {
    execFileSync(process.execPath, [next, 'build'], {
      cwd,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`next build of the fixture app failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  console.log(
    `next build of the fixture app: ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
