import { euros, html, page } from './html.ts';
import type { Delivery, Order, Product } from './schema.ts';

const nav: [string, string][] = [
  ['Shop', '/'],
  ['Orders', '/orders'],
];

export function shopPage(products: Product[], requestId: () => string): string {
  return page({
    title: 'Shop',
    brand: 'Signet Orders',
    nav,
    body: html`<h1>Shop</h1>
<p class="muted">Buying publishes <code>order.placed</code> to the URL group <code>orders</code>: inventory (this app), the mailer and the ledger receive it, signed.</p>
<div class="grid">${products.map(
      (
        product,
      ) => html`<form class="panel" method="post" action="/api/purchase" data-product="${product.slug}">
  <h2 style="margin:0;font-size:1.1rem">${product.name}</h2>
  <p class="muted" style="min-height:3em">${product.description}</p>
  <p><strong>${euros(product.priceCents)}</strong> · <span class="muted">${product.stock} in stock</span></p>
  <input type="hidden" name="productId" value="${product.id}">
  <input type="hidden" name="requestId" value="${requestId()}">
  <p><label class="field">Email <input type="email" name="email" value="you@example.com" required></label></p>
  <p><label>Qty <select name="quantity">${[1, 2, 3].map((n) => html`<option>${n}</option>`)}</select></label>
  <button type="submit">Buy</button></p>
</form>`,
    )}</div>`,
  });
}

export interface OrderRow {
  order: Order;
  product: Product;
  deliveries: Delivery[];
}

const label = (delivery: Delivery) => {
  if (delivery.endpoint) return delivery.endpoint;
  try {
    return new URL(delivery.url).pathname;
  } catch {
    return delivery.url || 'pending';
  }
};

function stateText(delivery: Delivery): string {
  if (delivery.state === 'retrying')
    return `retrying (${delivery.retried} so far, last ${delivery.status})`;
  if (delivery.state === 'failed') return 'failed: in the dead letters';
  return delivery.state;
}

/** The fulfilment state's class: how far the order's workflow run has come. */
function fulfilmentClass(state: string): string {
  if (state.startsWith('failed') || state === 'unpaid' || state === 'out of stock') return 'failed';
  if (state === 'review requested') return 'delivered';
  if (state.startsWith('shipped')) return 'delivered';
  if (state === 'awaiting payment') return 'retrying';
  return 'queued';
}

/** The order's workflow: its state, the Pay button while the run waits, its run on the broker. */
function fulfilmentCell(order: Order, runsAt: string | undefined) {
  const state = order.fulfilment;
  return html`<span class="state ${fulfilmentClass(state)}" data-fulfilment="${state}">${state}</span>${
    state === 'awaiting payment'
      ? html`<form method="post" action="/orders/${order.id}/pay" class="inline"><button type="submit" data-pay="${order.id}">Pay</button></form>`
      : ''
  }${
    order.runId && runsAt
      ? html`<div><a class="muted" href="${runsAt}/runs/${order.runId}" data-run="${order.runId}">workflow run</a></div>`
      : ''
  }`;
}

/** `runsAt`: where the broker shows workflow runs (`signet dev`), if it does. */
export function ordersPage(rows: OrderRow[], runsAt?: string): string {
  return page({
    title: 'Orders',
    brand: 'Signet Orders',
    nav,
    live: { everyMs: 1500 },
    body: html`<h1>Orders</h1>
<p class="muted">Each order's event, per receiving service, as the broker's callbacks report it, and its fulfilment: a workflow run that reserves stock, waits for payment, ships, and asks for a review three days later. This page updates itself.</p>
<div id="live">${
      rows.length === 0
        ? html`<p class="panel">No orders yet. <a href="/">Buy something.</a></p>`
        : html`<table class="panel"><thead><tr><th>Order</th><th>Item</th><th>Email</th><th>Deliveries</th><th>Fulfilment</th></tr></thead><tbody>${rows.map(
            ({
              order,
              product,
              deliveries,
            }) => html`<tr id="order-${order.id}" data-order="${order.id}">
  <td data-label="Order">#${order.id}<div class="muted">${order.createdAt.toISOString().slice(11, 19)} UTC</div></td>
  <td data-label="Item">${order.quantity} × ${product.name}</td>
  <td data-label="Email">${order.email}</td>
  <td data-label="Deliveries">${deliveries.map(
    (delivery) =>
      html`<div data-endpoint="${label(delivery)}">${label(delivery)} <span class="state ${delivery.state}" data-state="${delivery.state}">${stateText(delivery)}</span></div>`,
  )}</td>
  <td data-label="Fulfilment">${fulfilmentCell(order, runsAt)}</td></tr>`,
          )}</tbody></table>`
    }</div>`,
  });
}
