import { cloneThenHandle } from '../../../lib/clone-then-handle';

export const runtime = 'edge';
export const POST = cloneThenHandle;
