import { fileURLToPath } from 'node:url';
import { runHttpBench } from '@signet/conformance';

await runHttpBench({
  id: '20-express',
  framework: 'Express 5',
  serverScript: fileURLToPath(new URL('./server.ts', import.meta.url)),
  routes: [
    { label: 'unverified (express.json())', path: '/unverified', baseline: true },
    { label: 'floor: hand-written node:crypto check inline', path: '/floor' },
    { label: 'signet signature()', path: '/signet' },
    { label: 'official Receiver middleware', path: '/official' },
  ],
  target: 0.9,
});
