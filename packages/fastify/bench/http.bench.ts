import { fileURLToPath } from 'node:url';
import { runHttpBench } from '@signet/conformance';

await runHttpBench({
  id: '21-fastify',
  framework: 'Fastify 5',
  serverScript: fileURLToPath(new URL('./server.ts', import.meta.url)),
  routes: [
    { label: 'unverified (Fastify JSON parser)', path: '/unverified', baseline: true },
    { label: 'floor: hand-written node:crypto check in preParsing', path: '/floor' },
    { label: 'signet plugin', path: '/signet' },
    { label: 'official Receiver in preParsing', path: '/official' },
  ],
  target: 0.9,
});
