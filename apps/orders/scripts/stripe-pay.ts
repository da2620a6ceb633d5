// `npm run stripe:pay -- <order id>`: what Stripe sends when a payment for the order succeeded,
// signed by the `stripe` library's own test helper with the webhook secret, to the shop's Stripe
// webhook (/webhooks/stripe) — the same request the Pay button makes, from outside.
import Stripe from 'stripe';
import { paymentSucceeded } from '../src/payments.ts';
import { DEV_STRIPE_WEBHOOK_SECRET } from './dev-secrets.ts';

const orderId = Number(process.argv[2]);
if (!Number.isSafeInteger(orderId) || orderId < 1) {
  console.error('usage: npm run stripe:pay -- <order id>   (the # on the orders page)');
  process.exit(2);
}
const secret = process.env.STRIPE_WEBHOOK_SECRET || DEV_STRIPE_WEBHOOK_SECRET;
const shop = process.env.APP_URL || `http://127.0.0.1:${process.env.PORT ?? 3100}`;
const payload = JSON.stringify(paymentSucceeded(orderId));
const header = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload, secret });
const response = await fetch(new URL('/webhooks/stripe', shop), {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'stripe-signature': header },
  body: payload,
});
console.log(`${response.status} ${await response.text()}`);
process.exit(response.ok ? 0 : 1);
