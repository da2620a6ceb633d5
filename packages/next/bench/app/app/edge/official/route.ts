import { verifySignatureAppRouter } from '@upstash/qstash/nextjs';
import { handler } from '../../../lib/handler';

export const runtime = 'edge';
export const POST = verifySignatureAppRouter(handler);
