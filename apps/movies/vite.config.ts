import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// SvelteKit's CSRF check stays on: refreshes are published with publishJSON, and
// application/json is not a form content type, so QStash's Origin-less POSTs get through.
export default defineConfig({
  plugins: [sveltekit({ adapter: adapter() })],
  server: { port: Number(process.env.PORT ?? 5173), strictPort: true },
});
