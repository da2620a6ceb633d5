import { defineConfig } from 'drizzle-kit';

// `pnpm db:generate` writes a new migration into drizzle/ after a change to lib/schema.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/schema.ts',
  out: './drizzle',
});
