import { redisReplayStore } from '@signet/core';
import { signatureHandle } from '@signet/sveltekit';
import { config, redis } from '#lib/server/app.ts';
import { REFRESH_PATH } from '#lib/server/publisher.ts';
import { RefreshRequest } from '#lib/server/refresh.ts';

// Only the broker may ask for a refresh: the hook checks the Upstash-Signature against the
// raw body, this URL and both signing keys, accepts each token once (the replay marks live in
// Redis, shared by every instance), and validates the body before the endpoint runs.
export const handle = signatureHandle({
  paths: REFRESH_PATH,
  schema: RefreshRequest,
  replay: redisReplayStore(redis.client, { prefix: `${config.redisPrefix}signet:replay:` }),
  // The token must name this app's public URL, whatever Host the request claims (QStash signs
  // every app on the account with the same keys). Without APP_URL: SIGNET_ORIGIN, if set.
  ...(config.appUrl && { origin: config.appUrl }),
  onError: (error, event) =>
    console.warn(`[movies] refused ${event.request.method} ${event.url.pathname}: ${error.code}`),
});
