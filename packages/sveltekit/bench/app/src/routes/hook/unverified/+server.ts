import { handler } from '../../../lib/handler';

export const POST = handler;
