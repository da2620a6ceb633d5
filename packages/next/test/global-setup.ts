// Builds the fixture app with `next build` once per test run, on every Next in NEXT_FIXTURES;
// the older versions' apps first get test/app's routes copied in.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { NEXT_FIXTURES, SHARED_SOURCES } from './fixtures.ts';

const here = (dir: string) => fileURLToPath(new URL(`./${dir}`, import.meta.url));

export default function setup() {
  for (const { version, dir } of NEXT_FIXTURES) {
    const cwd = here(dir);
    if (dir !== 'app') {
      for (const source of SHARED_SOURCES) {
        rmSync(`${cwd}/${source}`, { recursive: true, force: true });
        cpSync(`${here('app')}/${source}`, `${cwd}/${source}`, { recursive: true });
      }
    }
    const next = createRequire(`${cwd}/package.json`).resolve('next/dist/bin/next');
    const started = performance.now();
    try {
      execFileSync(process.execPath, [next, 'build'], {
        cwd,
        env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(
        `next build of the Next ${version} fixture failed:\n${stdout ?? ''}${stderr ?? ''}`,
      );
    }
    console.log(
      `next build of the Next ${version} fixture: ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}
