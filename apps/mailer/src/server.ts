// `npm start`: the mailer on PORT (3200), joined to the `orders` URL group as `mailer`.
import { serve } from '@hono/node-server';
import { Client } from '@upstash/qstash';
import { createApp } from './app.ts';
import { joinUrlGroup } from './broker.ts';
import { readConfig } from './config.ts';
import { openDatabase } from './db.ts';

const config = readConfig(process.env);
if (!config.qstash.token) {
  console.error(
    '[mailer] QSTASH_TOKEN is not set: run `npm run dev` next to a running `signet dev`, or copy .env.example to .env and fill it in.',
  );
  process.exit(1);
}
const qstash = new Client({
  token: config.qstash.token,
  ...(config.qstash.url && { baseUrl: config.qstash.url }),
});
const handle = await openDatabase(config);
const server = serve(
  { fetch: createApp(handle, qstash, config).fetch, port: config.port, hostname: '127.0.0.1' },
  () => console.log(`[mailer] listening on ${config.appUrl}`),
);

joinUrlGroup(qstash, config.urlGroup, {
  name: 'mailer',
  url: `${config.appUrl}/hooks/order-placed`,
})
  .then(() => console.log(`[mailer] joined URL group "${config.urlGroup}" as mailer`))
  .catch((error: Error) =>
    console.error(`[mailer] could not join URL group "${config.urlGroup}": ${error.message}`),
  );

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    handle.close().finally(() => process.exit(0));
  });
}
