import { fixtureProcess, routesUnder, runConformance } from '@signet/conformance';
import { startFixture } from './server.ts';

const running = fixtureProcess(startFixture);

for (const [name, prefix] of [
  ['sveltekit signatureHandle hook', '/hook'],
  ['sveltekit verifySignatureSvelte wrapper', '/wrap'],
] as const) {
  runConformance({
    name,
    routes: routesUnder(prefix),
    // adapter-node assumes a TLS proxy in front: the app sees https URLs.
    start: async () => ({
      origin: running.app.origin,
      publicOrigin: running.app.origin.replace('http:', 'https:'),
      close: async () => {},
    }),
    errors: () => running.collector.errors(),
    resetErrors: () => running.collector.reset(),
    reportsAsync: true,
    reports: () => running.collector.reports(),
  });
}
