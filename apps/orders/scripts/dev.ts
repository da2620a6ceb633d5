// `pnpm dev` for orders: the broker's address and keys from the running `signet dev` (or the
// QSTASH_* variables for hosted QStash), then the server.
import { prepareDevEnv } from '@signet/demo-kit/dev';

await prepareDevEnv('orders');
await import('../src/server.ts');
