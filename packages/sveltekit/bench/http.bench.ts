// SvelteKit: the same endpoint unverified, behind Signet (the endpoint wrapper, and the hook) and
// behind the official helper of the same name (`@upstash/qstash/svelte`), in one interleaved run
// against an adapter-node production build.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type BenchRoute, runHttpBench } from '@signet/conformance';
import { KEYS } from '@signet/conformance/fixture';

const cwd = fileURLToPath(new URL('./app', import.meta.url));
const started = performance.now();
// The official helper reads its keys when the module loads, which `vite build` does.
execFileSync(
  process.execPath,
  [
    createRequire(`${cwd}/package.json`)
      .resolve('vite/package.json')
      .replace(/package\.json$/, 'bin/vite.js'),
    'build',
  ],
  {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      QSTASH_CURRENT_SIGNING_KEY: KEYS.currentSigningKey,
      QSTASH_NEXT_SIGNING_KEY: KEYS.nextSigningKey,
    },
  },
);
console.log(`vite build of the bench app: ${((performance.now() - started) / 1000).toFixed(1)} s`);

const routes: BenchRoute[] = [];
for (const [group, prefix, signet] of [
  ['endpoint', '', 'signet verifySignatureSvelte()'],
  ['hook', '/hook', 'signet signatureHandle()'],
] as const) {
  routes.push(
    { group, label: 'unverified', path: `${prefix}/unverified`, baseline: true },
    ...(prefix === '' ? [{ group, label: 'floor: hand-written check', path: '/floor' }] : []),
    { group, label: signet, path: `${prefix}/signet` },
    { group, label: 'official verifySignatureSvelte()', path: `${prefix}/official` },
  );
}

await runHttpBench({
  id: '24-sveltekit',
  framework: 'SvelteKit 3 (adapter-node)',
  serverScript: fileURLToPath(new URL('./server.ts', import.meta.url)),
  routes,
  target: 0.85,
});
