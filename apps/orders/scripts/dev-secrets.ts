// The Stripe webhook secret `npm run dev` uses when STRIPE_WEBHOOK_SECRET is not set: for this
// machine only (it is in the repository, so anyone could sign with it). `npm start` has none.
export const DEV_STRIPE_WEBHOOK_SECRET = 'whsec_signet_orders_local_development_only';
