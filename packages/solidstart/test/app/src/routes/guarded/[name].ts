// Guarded by src/middleware.ts, not by the route itself.
import { fixtureHandler } from '../../fixture.ts';

export const GET = fixtureHandler('prefixed');
export const POST = fixtureHandler('prefixed');
