// Demo users and spreadsheets. Safe to run again: existing users are left as they are.
import { eq } from 'drizzle-orm';
import { hashApiKey } from './auth.ts';
import type { Db } from './db.ts';
import { type Plan, spreadsheets, users } from './schema.ts';

export interface DemoUser {
  email: string;
  plan: Plan;
  apiKey: string;
  sheets: { name: string; rows: (string | number | null)[][] }[];
}

export const DEMO_USERS: DemoUser[] = [
  {
    email: 'alice@example.com',
    plan: 'FREE',
    apiKey: 'sk_demo_alice',
    sheets: [
      {
        name: 'Groceries',
        rows: [
          ['item', 'qty'],
          ['apples', 6],
          ['bread', 1],
          ['coffee', 2],
        ],
      },
      {
        name: 'Running log',
        rows: [
          ['date', 'km'],
          ['2026-11-02', 5.2],
          ['2026-11-04', 8],
        ],
      },
    ],
  },
  {
    email: 'bob@example.com',
    plan: 'PRO',
    apiKey: 'sk_demo_bob',
    sheets: [
      {
        name: 'Q4 budget',
        rows: [
          ['team', 'eur'],
          ['design', 42000],
          ['platform', 118000],
        ],
      },
    ],
  },
  {
    email: 'carol@example.com',
    plan: 'FREE',
    apiKey: 'sk_demo_carol',
    sheets: [
      {
        name: 'Reading list',
        rows: [
          ['title', 'done'],
          ['Dune', 'yes'],
          ['Middlemarch', null],
        ],
      },
    ],
  },
];

export async function seed(db: Db, demo: DemoUser[] = DEMO_USERS): Promise<void> {
  for (const user of demo) {
    const [created] = await db
      .insert(users)
      .values({ email: user.email, plan: user.plan, apiKeyHash: hashApiKey(user.apiKey) })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    if (!created) continue;
    await db
      .insert(spreadsheets)
      .values(user.sheets.map((sheet) => ({ ...sheet, ownerId: created.id })));
  }
}

export async function demoUserId(db: Db, email: string): Promise<number | undefined> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return row?.id;
}
