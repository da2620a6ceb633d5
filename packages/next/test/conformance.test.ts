import { fixtureProcess, type Harness, routesUnder, runConformance } from '@signet/conformance';
import { nextSpelling } from '../src/url.ts';
import { startFixture } from './server.ts';

const running = fixtureProcess(startFixture);
const entryPoints: Array<Pick<Harness, 'name' | 'routes' | 'spellUrl' | 'readsWholeBody'>> = [
  // Next re-serialises query strings before handlers see them (see src/url.ts).
  {
    name: 'next App Router, Node runtime',
    routes: routesUnder('/node', '/node/open/echo'),
    spellUrl: nextSpelling,
  },
  // Next's Edge sandbox reads the whole upload before the route runs (it keeps the first 10 MB
  // and drops the rest): nothing in a route can stop that read early. The answer is 413.
  {
    name: 'next App Router, Edge runtime',
    routes: routesUnder('/edge', '/edge/open/echo'),
    spellUrl: nextSpelling,
    readsWholeBody: true,
  },
  {
    name: 'next Pages Router',
    routes: routesUnder('/api/pages', '/api/pages/open/echo'),
    spellUrl: nextSpelling,
  },
];

for (const entry of entryPoints) {
  runConformance({
    ...entry,
    start: async () => ({ origin: running.app.origin, close: async () => {} }),
    errors: () => running.collector.errors(),
    resetErrors: () => running.collector.reset(),
    reportsAsync: true,
    reports: () => running.collector.reports(),
  });
}
