import { signatureHandle } from '@signet/sveltekit';

// The hook variant: the same endpoints under /hook, only /hook/signet guarded.
export const handle = signatureHandle({ paths: ['/hook/signet'] });
