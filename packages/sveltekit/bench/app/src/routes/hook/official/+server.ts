import { verifySignatureSvelte } from '@upstash/qstash/svelte';
import { handler } from '../../../lib/handler';

// The official helper has no hook; its wrapper is the comparison here too.
export const POST = verifySignatureSvelte(handler);
