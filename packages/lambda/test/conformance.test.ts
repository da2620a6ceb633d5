// The shared suite through what API Gateway would send: in-process for both payload formats, and
// over loopback HTTP (the raw request target kept) through a shim that reads the whole request
// first, as API Gateway does.
import { runConformance } from '@signet/conformance';
import { v1ClaimUrl } from '../src/events.ts';
import { createFixtureFunctions } from './app.ts';
import { inProcess, type PayloadFormat, serveOverHttp } from './shim.ts';

for (const version of ['2.0', '1.0'] as PayloadFormat[]) {
  const format = version === '2.0' ? 'HTTP API / Function URL (2.0)' : 'REST API (1.0)';
  // A REST API event has the query decoded and grouped by name: `message.url` is in that spelling.
  const spellUrl = version === '1.0' ? v1ClaimUrl : undefined;
  const inMemory = createFixtureFunctions();
  runConformance({
    name: `lambda behind ${format}, in-process`,
    start: async () => ({
      origin: 'http://lambda.test',
      publicOrigin: 'https://lambda.test',
      close: async () => {},
    }),
    transport: inProcess(version, inMemory.dispatch),
    ...(spellUrl && { spellUrl }),
    errors: async () => [...inMemory.errors],
    resetErrors: async () => {
      inMemory.errors.length = 0;
    },
  });

  const overHttp = createFixtureFunctions();
  runConformance({
    name: `lambda behind ${format}, over HTTP`,
    start: async () => {
      const server = await serveOverHttp(version, overHttp.dispatch);
      return { ...server, publicOrigin: server.origin.replace('http:', 'https:') };
    },
    readsWholeBody: true,
    ...(spellUrl && { spellUrl }),
    errors: async () => [...overHttp.errors],
    resetErrors: async () => {
      overHttp.errors.length = 0;
    },
  });
}
