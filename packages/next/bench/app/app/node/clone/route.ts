import { cloneThenHandle } from '../../../lib/clone-then-handle';

export const POST = cloneThenHandle;
