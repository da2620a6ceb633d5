// `npm start`: the storefront on PORT (3100), joined to the `orders` URL group as `inventory`.
import { Client } from '@upstash/qstash';
import { createApp } from './app.ts';
import { joinUrlGroup } from './broker.ts';
import { readConfig } from './config.ts';
import { openDatabase } from './db.ts';

const config = readConfig(process.env);
if (!config.qstash.token || !config.signingKeys.current || !config.signingKeys.next) {
  console.error(
    '[orders] QSTASH_TOKEN and the signing keys are not set: run `npm run dev` next to a running `signet dev`, or copy .env.example to .env and fill it in.',
  );
  process.exit(1);
}
const qstash = new Client({
  token: config.qstash.token,
  ...(config.qstash.url && { baseUrl: config.qstash.url }),
});
const handle = await openDatabase(config);
const server = createApp(handle, qstash, config).listen(config.port, '127.0.0.1', () => {
  console.log(`[orders] listening on ${config.appUrl}`);
});

joinUrlGroup(qstash, config.urlGroup, {
  name: 'inventory',
  url: `${config.appUrl}/hooks/inventory`,
})
  .then(() => console.log(`[orders] joined URL group "${config.urlGroup}" as inventory`))
  .catch((error: Error) =>
    console.error(`[orders] could not join URL group "${config.urlGroup}": ${error.message}`),
  );

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    handle.close().finally(() => process.exit(0));
  });
}
