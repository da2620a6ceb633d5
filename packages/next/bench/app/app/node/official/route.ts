import { verifySignatureAppRouter } from '@upstash/qstash/nextjs';
import { handler } from '../../../lib/handler';

export const POST = verifySignatureAppRouter(handler);
