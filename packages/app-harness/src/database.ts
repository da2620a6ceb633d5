// For the demos' tests: a PostgreSQL database of their own (created from the `test` database,
// dropped afterwards).
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import pg from 'pg';

/** A database the tests may create other databases from. */
export const ADMIN_URL =
  process.env.TEST_DATABASE_URL ?? `postgres://${userInfo().username}@127.0.0.1:5432/test`;

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates an empty database and returns its URL. */
export async function createTestDatabase(prefix: string): Promise<string> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`.replace(/\W/g, '_');
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.href;
}

export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  await admin(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`);
}
