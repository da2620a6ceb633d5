// `pnpm seed`: create the demo users and spreadsheets (PGlite, or DATABASE_URL when set).
import { openDatabase } from '../lib/db.ts';
import { DEMO_USERS, seed } from '../lib/seed.ts';

const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined });
await seed(handle.db);
await handle.close();
console.log('usage-sync: demo users (API keys):');
for (const user of DEMO_USERS)
  console.log(`  ${user.email.padEnd(20)} ${user.plan.padEnd(4)} ${user.apiKey}`);
