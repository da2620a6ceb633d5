// Builds the fixture app (test/app) with adapter-node once per test run, twice: with the CSRF
// origin check off (for the conformance suite) and with SvelteKit's default (build-default-csrf);
// then the same routes on SvelteKit 2.0.0, the lowest the peer range allows (test/app-kit2, its
// own config files, test/app's src/ copied in).
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

function viteBuild(cwd: string, what: string, env: Record<string, string> = {}): void {
  const vite = createRequire(`${cwd}/package.json`)
    .resolve('vite/package.json')
    .replace(/package\.json$/, 'bin/vite.js');
  const started = performance.now();
  try {
    execFileSync(process.execPath, [vite, 'build'], {
      cwd,
      env: { ...process.env, NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`vite build of ${what} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  console.log(`vite build of ${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

export default function setup() {
  const app = fileURLToPath(new URL('./app', import.meta.url));
  for (const csrf of ['off', 'default']) {
    viteBuild(app, `the fixture app (csrf ${csrf})`, { SIGNET_FIXTURE_CSRF: csrf });
  }
  const kit2 = fileURLToPath(new URL('./app-kit2', import.meta.url));
  rmSync(`${kit2}/src`, { recursive: true, force: true });
  cpSync(`${app}/src`, `${kit2}/src`, { recursive: true });
  viteBuild(kit2, 'the fixture app on SvelteKit 2.0.0');
}
