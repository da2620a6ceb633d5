import { verifySignatureSvelte } from '@upstash/qstash/svelte';
import { handler } from '../../lib/handler';

export const POST = verifySignatureSvelte(handler);
