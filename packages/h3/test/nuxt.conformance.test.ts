// The suite against a real Nuxt 4 production build (Nitro 2, h3 1): server routes wrapped with
// withSignature, and server middleware with `paths` for the prefixed route.
import { fixtureProcess, runConformance } from '@signet/conformance';
import { startNuxtFixture } from './server.ts';

const running = fixtureProcess(startNuxtFixture);

runConformance({
  name: 'nuxt 4 production build (nitro node-server)',
  start: async () => ({ origin: running.app.origin, close: async () => {} }),
  errors: () => running.collector.errors(),
  resetErrors: () => running.collector.reset(),
  reportsAsync: true,
  reports: () => running.collector.reports(),
});
