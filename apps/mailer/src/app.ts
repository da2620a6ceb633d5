import type { OrderPlaced } from '@signet/demo-kit/events';
import { euros, html, page } from '@signet/demo-kit/html';
import { type SignetEnv, signature } from '@signet/hono';
import type { Client } from '@upstash/qstash';
import { desc } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Config } from './config.ts';
import type { Db } from './db.ts';
import { type Email, outbox } from './schema.ts';

interface ReviewReminder {
  orderId: number;
  email: string;
  product: string;
}

export function createApp(db: Db, qstash: Client, config: Config): Hono<SignetEnv> {
  const app = new Hono<SignetEnv>();
  // QStash signs the public URL; behind a proxy the app may see another one.
  app.use('/hooks/*', signature({ url: (c) => `${config.appUrl}${new URL(c.req.url).pathname}` }));

  /** Writes an email once per message id (a redelivery finds it there). */
  async function send(
    messageId: string,
    email: Omit<Email, 'id' | 'messageId' | 'createdAt'>,
  ): Promise<boolean> {
    const written = await db
      .insert(outbox)
      .values({ messageId, ...email })
      .onConflictDoNothing()
      .returning({ id: outbox.id });
    return written.length > 0;
  }

  // A URL group member: the receipt, and a review reminder in `reviewDelay`.
  app.post('/hooks/order-placed', async (c) => {
    const { order } = await c.req.json<OrderPlaced>();
    const message = c.get('signet');
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
    const sent = await send(message.id ?? `jti:${String(message.claims.jti)}`, {
      kind: 'receipt',
      orderId: order.id,
      to: order.email,
      subject: `Your order #${order.id}`,
      body: `Thanks! ${order.quantity} × ${order.product.name}, ${euros(order.quantity * order.product.priceCents)}.`,
    });
    return c.json({ order: order.id, receipt: sent ? 'sent' : 'already sent' });
  });

  app.post('/hooks/review-reminder', async (c) => {
    const reminder = await c.req.json<ReviewReminder>();
    const message = c.get('signet');
    const sent = await send(message.id ?? `jti:${String(message.claims.jti)}`, {
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
                  html`<tr data-kind="${email.kind}" data-order="${email.orderId}"><td class="muted">${email.createdAt.toISOString().slice(11, 19)}</td><td>${email.kind}</td><td>${email.to}</td><td><strong>${email.subject}</strong><div class="muted">${email.body}</div></td></tr>`,
              )}</tbody></table>`
        }</div>`,
      }),
    );
  });
  app.get('/healthz', (c) => c.json({ ok: true }));
  return app;
}
