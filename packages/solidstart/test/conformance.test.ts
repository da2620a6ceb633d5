// The suite against a real SolidStart 2 production build (Nitro 3, h3 2): API routes wrapped with
// withSignature, and src/middleware.ts (`onRequest` with `paths`) for the prefixed route.
import { fixtureProcess, runConformance } from '@signet/conformance';
import { FIXTURES, startSolidStartFixture } from './server.ts';

for (const { version, dir } of FIXTURES) {
  const running = fixtureProcess(() => startSolidStartFixture(dir));

  runConformance({
    name: `solidstart ${version} production build (nitro node_server)`,
    start: async () => ({ origin: running.app.origin, close: async () => {} }),
    errors: () => running.collector.errors(),
    resetErrors: () => running.collector.reset(),
    reportsAsync: true,
    reports: () => running.collector.reports(),
  });
}
