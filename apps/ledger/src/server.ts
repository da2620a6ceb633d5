// `npm start`: the ledger on PORT (3300), joined to the `orders` URL group as `ledger`.
import { Client } from '@upstash/qstash';
import { createApp } from './app.ts';
import { joinUrlGroup } from './broker.ts';
import { readConfig } from './config.ts';
import { openLedger } from './db.ts';

const config = readConfig(process.env);
if (!config.qstash.token) {
  console.error(
    '[ledger] QSTASH_TOKEN is not set: run `npm run dev` next to a running `signet dev`, or copy .env.example to .env and fill it in.',
  );
  process.exit(1);
}
const qstash = new Client({
  token: config.qstash.token,
  ...(config.qstash.url && { baseUrl: config.qstash.url }),
});
const ledger = await openLedger(config);
const app = createApp(ledger, config);
await app.listen({ port: config.port, host: '127.0.0.1' });
console.log(`[ledger] listening on ${config.appUrl}`);

joinUrlGroup(qstash, config.urlGroup, {
  name: 'ledger',
  url: `${config.appUrl}/hooks/order-placed`,
})
  .then(() => console.log(`[ledger] joined URL group "${config.urlGroup}" as ledger`))
  .catch((error: Error) =>
    console.error(`[ledger] could not join URL group "${config.urlGroup}": ${error.message}`),
  );

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().finally(() => ledger.close().finally(() => process.exit(0)));
  });
}
