// SvelteKit 2's configuration file (Kit 3 moved it into vite.config.ts). The CSRF origin check
// is off for the conformance suite, as in ../app (whose comment says why).
import adapter from '@sveltejs/adapter-node';

export default {
  kit: {
    adapter: adapter({ out: 'build' }),
    csrf: { checkOrigin: false },
  },
};
