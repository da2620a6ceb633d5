import { verifySignatureAppRouter } from '@signet/next';
import { handler } from '../../../lib/handler';

export const POST = verifySignatureAppRouter(handler);
