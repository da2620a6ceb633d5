// `pnpm dev` for orders: the broker's address and keys from the running `signet dev` (or the
// QSTASH_* variables for hosted QStash), then the server.
import { withBrokerEnv } from '@signet/demo-kit/dev';

await withBrokerEnv('orders');
await import('../src/server.ts');
