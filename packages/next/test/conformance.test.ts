import { fixtureProcess, type Harness, routesUnder, runConformance } from '@signet/conformance';
import { nextSpelling } from '../src/url.ts';
import { NEXT_FIXTURES } from './fixtures.ts';
import { startFixture } from './server.ts';

const entryPoints: Array<
  Pick<Harness, 'name' | 'routes' | 'spellUrl' | 'readsWholeBody'> & {
    kind: 'node' | 'edge' | 'pages';
  }
> = [
  // Next re-serialises query strings before handlers see them (see src/url.ts).
  {
    kind: 'node',
    name: 'next App Router, Node runtime',
    routes: routesUnder('/node', '/node/open/echo'),
    spellUrl: nextSpelling,
  },
  // Next's Edge sandbox reads the whole upload before the route runs (it keeps the first 10 MB
  // and drops the rest): nothing in a route can stop that read early. The answer is 413.
  {
    kind: 'edge',
    name: 'next App Router, Edge runtime',
    routes: routesUnder('/edge', '/edge/open/echo'),
    spellUrl: nextSpelling,
    readsWholeBody: true,
  },
  {
    kind: 'pages',
    name: 'next Pages Router',
    routes: routesUnder('/api/pages', '/api/pages/open/echo'),
    spellUrl: nextSpelling,
  },
];

for (const { version, dir, spelling } of NEXT_FIXTURES) {
  const running = fixtureProcess(() => startFixture(dir));
  for (const { kind, ...entry } of entryPoints) {
    runConformance({
      ...entry,
      name: `${entry.name} (Next ${version})`,
      ...(spelling?.[kind] && { spellUrl: spelling[kind] }),
      start: async () => ({ origin: running.app.origin, close: async () => {} }),
      errors: () => running.collector.errors(),
      resetErrors: () => running.collector.reset(),
      reportsAsync: true,
      reports: () => running.collector.reports(),
    });
  }
}
