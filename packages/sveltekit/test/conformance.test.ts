import { fixtureProcess, routesUnder, runConformance } from '@signet/conformance';
import { startFixture } from './server.ts';

// Both ends of the peer range (`@sveltejs/kit >=2`): SvelteKit 3, and 2.0.0 with its own
// config files; the same routes.
for (const [kit, dir] of [
  ['3', 'app'],
  ['2.0.0', 'app-kit2'],
] as const) {
  const running = fixtureProcess(() => startFixture('build', dir));
  for (const [name, prefix] of [
    ['signatureHandle hook', '/hook'],
    ['verifySignatureSvelte wrapper', '/wrap'],
  ] as const) {
    runConformance({
      name: `sveltekit ${kit} ${name}`,
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
}
