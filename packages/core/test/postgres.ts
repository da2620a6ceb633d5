// Real PostgreSQL on 127.0.0.1:5432, database `test` (started by scripts/test).
import { userInfo } from 'node:os';

export const POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? `postgres://${userInfo().username}@127.0.0.1:5432/test`;
