import { postgresReplayStore, type StandardSchemaV1 } from '@signet/core';
import { signature } from '@signet/hono';
import type { Client } from '@upstash/qstash';
import { desc } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db.ts';
import { OrderPlaced, ReviewReminder } from './events.ts';
import { euros, FAVICON, html, page } from './html.ts';
import { problem, problemHandler } from './problem.ts';
import { type Email, outbox } from './schema.ts';

export function createApp({ db, sql }: DatabaseHandle, qstash: Client, config: Config): Hono {
  const app = new Hono();
  app.onError(problemHandler('mailer'));
  const replay = postgresReplayStore(sql, { table: 'signet_replay_mailer' });
  /** Each hook's guard: signed for this app, each token once, a body its schema accepts. */
  const verified = <Schema extends StandardSchemaV1>(schema: Schema) =>
    signature({
      // The token must name this app's public URL, whatever Host the request claims: QStash
      // signs every app on the account with the same keys.
      origin: config.appUrl,
      // Each token is accepted once: a captured delivery played again is refused (401).
      replay,
      // A body that is not the event will never be: 489 sends it to the dead letters at once.
      schema,
      nonRetryable: true,
      onError: (error, c) =>
        console.warn(`[mailer] refused ${c.req.method} ${c.req.path}: ${error.code}`),
    });

  /**
   * Writes an email once per kind and order (a redelivery finds it there). The order id is from
   * the signed body; the message id header is not signed, so it is recorded, never trusted.
   */
  async function send(
    messageId: string | undefined,
    email: Omit<Email, 'id' | 'messageId' | 'createdAt'>,
  ): Promise<boolean> {
    const written = await db
      .insert(outbox)
      .values({ messageId: messageId ?? null, ...email })
      .onConflictDoNothing()
      .returning({ id: outbox.id });
    return written.length > 0;
  }

  // A URL group member: the receipt, and a review reminder in `reviewDelay`.
  app.post('/hooks/order-placed', verified(OrderPlaced), async (c) => {
    const message = c.get('signet');
    const { order } = message.data;
    // Publish before writing: if the write then fails, the redelivery publishes again and the
    // deduplication id keeps it to one reminder. The other order could lose the reminder.
    await qstash.publishJSON({
      url: `${config.appUrl}/hooks/review-reminder`,
      body: {
        orderId: order.id,
        email: order.email,
        product: order.product.name,
      } satisfies ReviewReminder,
      // QStash's duration syntax (`3d`, `10m`, …), as configured.
      delay: config.reviewDelay as Parameters<Client['publishJSON']>[0]['delay'],
      deduplicationId: `review-${order.id}`,
    });
    const sent = await send(message.id, {
      kind: 'receipt',
      orderId: order.id,
      to: order.email,
      subject: `Your order #${order.id}`,
      body: `Thanks! ${order.quantity} × ${order.product.name}, ${euros(order.quantity * order.product.priceCents)}.`,
    });
    return c.json({ order: order.id, receipt: sent ? 'sent' : 'already sent' });
  });

  app.post('/hooks/review-reminder', verified(ReviewReminder), async (c) => {
    const message = c.get('signet');
    const reminder = message.data;
    const sent = await send(message.id, {
      kind: 'review',
      orderId: reminder.orderId,
      to: reminder.email,
      subject: `How is your ${reminder.product}?`,
      body: `You bought ${reminder.product} (order #${reminder.orderId}). Tell us what you think.`,
    });
    return c.json({ order: reminder.orderId, reminder: sent ? 'sent' : 'already sent' });
  });

  app.get('/', (c) => c.redirect('/outbox'));
  app.get('/outbox', async (c) => {
    const emails = await db.select().from(outbox).orderBy(desc(outbox.id)).limit(100);
    return c.html(
      page({
        title: 'Outbox',
        brand: 'Signet Mailer',
        nav: [['Outbox', '/outbox']],
        live: { everyMs: 1500 },
        body: html`<h1>Outbox</h1>
<p class="muted">Emails this worker has "sent": receipts when an order event arrives, review reminders ${config.reviewDelay} later (or at once with the dev server's "deliver now"). This page updates itself.</p>
<div id="live">${
          emails.length === 0
            ? html`<p class="panel">No emails yet.</p>`
            : html`<table class="panel"><thead><tr><th>When</th><th>Kind</th><th>To</th><th>Subject</th></tr></thead><tbody>${emails.map(
                (email) =>
                  html`<tr data-kind="${email.kind}" data-order="${email.orderId}"><td data-label="When" class="muted">${email.createdAt.toISOString().slice(11, 19)}</td><td data-label="Kind">${email.kind}</td><td data-label="To">${email.to}</td><td data-label="Subject"><strong>${email.subject}</strong><div class="muted">${email.body}</div></td></tr>`,
              )}</tbody></table>`
        }</div>`,
      }),
    );
  });
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/favicon.ico', (c) =>
    c.body(FAVICON, 200, {
      'content-type': 'image/svg+xml',
      'cache-control': 'public, max-age=86400',
    }),
  );
  app.notFound(() => problem(404, 'Not found', 'There is nothing here.'));
  return app;
}
