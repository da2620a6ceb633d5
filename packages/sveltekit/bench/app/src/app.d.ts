import type { SignetLocals } from '@signet/sveltekit';

declare global {
  namespace App {
    // event.locals.signet, typed: the augmentation the @signet/sveltekit README shows.
    interface Locals extends SignetLocals {}
  }
}
