import { handler } from '../../../lib/handler';

export const runtime = 'edge';
export const POST = handler;
