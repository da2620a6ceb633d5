import type { SigningKeys } from '@signet/core';
import { Attempts } from './attempts.ts';
import { Db, type Durability } from './db.ts';
import { Dedup } from './dedup.ts';
import { DeadLetters } from './dlq.ts';
import { Events } from './events.ts';
import { FlowKeys } from './flow-keys.ts';
import { KeyStore } from './keys.ts';
import { Messages } from './messages.ts';
import { Queues } from './queues.ts';
import { Schedules } from './schedules.ts';
import { UrlGroups } from './url-groups.ts';
import { Waiters } from './waiters.ts';
import { Workflows } from './workflows.ts';

/** Everything the broker keeps, over one SQLite database. */
export class Store {
  readonly db: Db;
  readonly events: Events;
  readonly messages: Messages;
  readonly attempts: Attempts;
  readonly deadLetters: DeadLetters;
  readonly dedup: Dedup;
  readonly schedules: Schedules;
  readonly urlGroups: UrlGroups;
  readonly queues: Queues;
  readonly flowKeys: FlowKeys;
  readonly workflows: Workflows;
  readonly waiters: Waiters;
  readonly keys: KeyStore;

  constructor(options: {
    dataDir?: string | undefined;
    memory?: boolean | undefined;
    durability?: Durability;
    keys?: SigningKeys | undefined;
  }) {
    this.db = new Db(options);
    this.events = new Events(this.db);
    this.messages = new Messages(this.db, this.events);
    this.attempts = new Attempts(this.db);
    this.deadLetters = new DeadLetters(this.db);
    this.dedup = new Dedup(this.db);
    this.schedules = new Schedules(this.db);
    this.urlGroups = new UrlGroups(this.db);
    this.queues = new Queues(this.db);
    this.flowKeys = new FlowKeys(this.db);
    this.workflows = new Workflows(this.db);
    this.waiters = new Waiters(this.db);
    this.keys = new KeyStore(this.db, options.keys);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
