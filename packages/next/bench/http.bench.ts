// Next.js: the same handler unverified, behind Signet and behind the official helpers of the same
// name (`@upstash/qstash/nextjs`), on the App Router (Node and Edge runtimes) and the Pages
// Router, in one interleaved run against a production build.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type BenchRoute, runHttpBench } from '@signet/conformance';
import { KEYS } from '@signet/conformance/fixture';

const cwd = fileURLToPath(new URL('./app', import.meta.url));
const started = performance.now();
// The official helpers read their keys when the module loads, which `next build` does.
execFileSync(
  process.execPath,
  [createRequire(`${cwd}/package.json`).resolve('next/dist/bin/next'), 'build'],
  {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      QSTASH_CURRENT_SIGNING_KEY: KEYS.currentSigningKey,
      QSTASH_NEXT_SIGNING_KEY: KEYS.nextSigningKey,
    },
  },
);
console.log(`next build of the bench app: ${((performance.now() - started) / 1000).toFixed(1)} s`);

const routes: BenchRoute[] = [];
for (const [group, prefix] of [
  ['App Router, Node', '/node'],
  ['App Router, Edge', '/edge'],
  ['Pages Router', '/api/pages'],
] as const) {
  routes.push(
    { group, label: 'unverified', path: `${prefix}/unverified`, baseline: true },
    // What any guard must do at least: a hand-written node:crypto check (not on the Edge
    // runtime, which has no node:crypto), and on the App Router, clone the request and read it.
    ...(prefix === '/edge'
      ? []
      : [{ group, label: 'floor: hand-written check', path: `${prefix}/floor` }]),
    ...(prefix === '/api/pages'
      ? []
      : [{ group, label: 'clone + read the body', path: `${prefix}/clone` }]),
    { group, label: 'signet', path: `${prefix}/signet` },
    { group, label: 'official', path: `${prefix}/official` },
  );
}

await runHttpBench({
  id: '23-next',
  framework: 'Next.js 16 (next start)',
  serverScript: fileURLToPath(new URL('./server.ts', import.meta.url)),
  routes,
  target: 0.85,
});
