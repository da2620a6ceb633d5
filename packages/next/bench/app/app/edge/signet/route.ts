import { verifySignatureAppRouter } from '@signet/next';
import { handler } from '../../../lib/handler';

export const runtime = 'edge';
export const POST = verifySignatureAppRouter(handler);
