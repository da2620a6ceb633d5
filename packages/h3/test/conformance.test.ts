import { runConformance } from '@signet/conformance';
import { createV1App, createV2App, listenV1, listenV2 } from './app.ts';

const v2 = createV2App();
runConformance({
  name: 'h3 2 on Node (srvx)',
  start: () => listenV2(v2.app),
  errors: async () => [...v2.errors],
  resetErrors: async () => {
    v2.errors.length = 0;
  },
});

// A Web-standard runtime (Bun, Deno, Workers): the same app through app.fetch, no Node request.
const web = createV2App();
runConformance({
  name: 'h3 2 through app.fetch (Web-standard runtime)',
  start: async () => ({ origin: 'http://h3.test', close: async () => {} }),
  transport: async (request) => web.app.fetch(request),
  errors: async () => [...web.errors],
  resetErrors: async () => {
    web.errors.length = 0;
  },
});

const v1 = createV1App();
runConformance({
  name: 'h3 1 on Node (toNodeListener)',
  start: () => listenV1(v1.app),
  errors: async () => [...v1.errors],
  resetErrors: async () => {
    v1.errors.length = 0;
  },
});
