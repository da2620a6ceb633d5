// `pnpm dev` for the mailer: the broker's address and keys from the running `signet dev` (or the
// QSTASH_* variables for hosted QStash), then the server.
import { withBrokerEnv } from '@signet/demo-kit/dev';

await withBrokerEnv('mailer');
await import('../src/server.ts');
