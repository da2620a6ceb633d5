import type { SignetLocals } from '@signet/sveltekit';
import type { RefreshRequest } from '#lib/server/refresh.ts';

declare global {
  namespace App {
    interface Locals extends SignetLocals<RefreshRequest> {}
  }
}
