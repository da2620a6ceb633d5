// Guarded by server/middleware/signet.ts, not by the route itself.
export default defineEventHandler(fixtureHandler('prefixed'));
