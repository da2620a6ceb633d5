import { postgresReplayStore } from '@signet/core';
import { getMessage, signature } from '@signet/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { Ledger } from './db.ts';
import { OrderPlaced } from './events.ts';
import { euros, FAVICON, html, page } from './html.ts';
import { problem, problemHandler } from './problem.ts';

export function createApp(ledger: Ledger, config: Config): FastifyInstance {
  const app = Fastify();
  app.setErrorHandler(problemHandler);

  // Every route in this scope must come from QStash: the guard belongs to the routes, so no
  // spelling of the path gets around it.
  void app.register(
    async (hooks) => {
      await hooks.register(signature, {
        // The token must name this app's public URL, whatever Host the request claims: QStash
        // signs every app on the account with the same keys.
        origin: config.appUrl,
        // Each token is accepted once: a captured delivery played again is refused (401).
        replay: postgresReplayStore(ledger.sql, { table: 'signet_replay_ledger' }),
        // A body that is not the event will never be: 489 sends it to the dead letters at once.
        schema: OrderPlaced,
        nonRetryable: true,
        onError: (error, request) =>
          console.warn(`[ledger] refused ${request.method} ${request.url}: ${error.code}`),
      });

      // A URL group member: books each order once (the order id is signed; a redelivery finds
      // it booked and answers 200, so QStash stops).
      hooks.post('/order-placed', async (request) => {
        const { order } = getMessage<OrderPlaced>(request).data;
        const booked = await ledger.book({
          orderId: order.id,
          item: order.product.name,
          quantity: order.quantity,
          amountCents: order.quantity * order.product.priceCents,
        });
        return { order: order.id, entry: booked ? 'booked' : 'already booked' };
      });
    },
    { prefix: '/hooks' },
  );

  app.get('/', async (_request, reply) => {
    const [entries, total] = await Promise.all([ledger.latest(100), ledger.total()]);
    return reply.type('text/html').send(
      page({
        title: 'Ledger',
        brand: 'Signet Ledger',
        nav: [['Ledger', '/']],
        live: { everyMs: 1500 },
        body: html`<h1>Ledger</h1>
<p class="muted">Every order event from the URL group, booked once (Fastify, behind <code>@signet/fastify</code>). This page updates itself.</p>
<div id="live"><p class="panel"><strong>${euros(total.amountCents)}</strong> <span class="muted">from ${total.entries} ${total.entries === 1 ? 'order' : 'orders'}</span></p>${
          entries.length === 0
            ? html`<p class="panel">No orders booked yet.</p>`
            : html`<table class="panel"><thead><tr><th>Booked</th><th>Order</th><th>Item</th><th>Amount</th></tr></thead><tbody>${entries.map(
                (entry) =>
                  html`<tr data-order="${entry.orderId}"><td data-label="Booked" class="muted">${entry.bookedAt.toISOString().slice(11, 19)}</td><td data-label="Order">#${entry.orderId}</td><td data-label="Item">${entry.quantity} × ${entry.item}</td><td data-label="Amount">${euros(entry.amountCents)}</td></tr>`,
              )}</tbody></table>`
        }</div>`,
      }),
    );
  });
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/favicon.ico', async (_request, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON),
  );
  app.setNotFoundHandler(async (_request, reply) =>
    problem(reply, 404, 'Not found', 'There is nothing here.'),
  );
  return app;
}
