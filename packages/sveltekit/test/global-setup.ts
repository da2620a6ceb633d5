// Builds the fixture app (test/app) with adapter-node once per test run, twice: with the CSRF
// origin check off (for the conformance suite) and with SvelteKit's default (build-default-csrf).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function setup() {
  const cwd = fileURLToPath(new URL('./app', import.meta.url));
  const vite = createRequire(`${cwd}/package.json`)
    .resolve('vite/package.json')
    .replace(/package\.json$/, 'bin/vite.js');
  for (const csrf of ['off', 'default']) {
    const started = performance.now();
    try {
      execFileSync(process.execPath, [vite, 'build'], {
        cwd,
        env: { ...process.env, SIGNET_FIXTURE_CSRF: csrf },
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`vite build of the fixture app failed:\n${stdout ?? ''}${stderr ?? ''}`);
    }
    console.log(
      `vite build of the fixture app (csrf ${csrf}): ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}
