import { signedRoute } from '../../fixture.ts';

export const { GET, POST } = signedRoute('stripeSchema');
