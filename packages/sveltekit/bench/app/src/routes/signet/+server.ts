import { verifySignatureSvelte } from '@signet/sveltekit';
import { handler } from '../../lib/handler';

export const POST = verifySignatureSvelte(handler);
