import { setMaxListeners } from 'node:events';
import { createMessage, scheduleMessages } from '../publish/fan-out.ts';
import { LIMITS } from '../publish/limits.ts';
import { endRun } from '../publish/run-end.ts';
import type { Settled } from '../store/db.ts';
import type { FlowKeys, FlowLimits } from '../store/flow-keys.ts';
import type { MessageRow } from '../store/messages.ts';
import type { Store } from '../store/store.ts';
import { callbackFor, isWorkflowCall } from './callbacks.ts';
import { decide } from './outcome.ts';
import { type AttemptResult, createAgent, send } from './send.ts';

/** One turn's view of flow-control keys: what each may still start. */
class FlowGate {
  readonly #limits = new Map<string, FlowLimits>();
  readonly #paused = new Map<string, boolean>();
  readonly #started = new Map<string, number>();

  constructor(
    private readonly flowKeys: FlowKeys,
    private readonly active: ReadonlyMap<string, number>,
    private readonly now: number,
    private readonly wake: (at: number | undefined) => void,
  ) {}

  #limitsOf(key: string): FlowLimits {
    let limits = this.#limits.get(key);
    if (!limits) {
      limits = this.flowKeys.limits(key);
      this.#limits.set(key, limits);
    }
    return limits;
  }

  /** How many more of the key's messages may be on the wire (paused: none). */
  room(key: string): number {
    let paused = this.#paused.get(key);
    if (paused === undefined) {
      paused = this.flowKeys.isPaused(key);
      this.#paused.set(key, paused);
    }
    if (paused) return 0;
    const { parallelism } = this.#limitsOf(key);
    if (parallelism === undefined) return Number.POSITIVE_INFINITY;
    return parallelism - (this.active.get(key) ?? 0) - (this.#started.get(key) ?? 0);
  }

  /** Counts a start against the key's rate; false (and a wake-up time) when the period is full. */
  start(key: string): boolean {
    if (this.room(key) <= 0) return false;
    const taken = this.flowKeys.takeStart(key, this.#limitsOf(key), this.now);
    if (!taken.ok) {
      this.wake(taken.wakeAt);
      return false;
    }
    this.#started.set(key, (this.#started.get(key) ?? 0) + 1);
    return true;
  }
}

export interface DispatcherOptions {
  /** Deliveries in flight at once, over all destinations. */
  concurrency: number;
  /** Divides QStash's retry backoff (12 s, 2.5 min, 30 min, …) so development does not wait. */
  retryScale: number;
  /** Per-attempt timeout when a message sets no `Upstash-Timeout`. */
  timeoutMs: number;
  /** One line per finished attempt, for the terminal. */
  log?: ((line: string) => void) | undefined;
}

interface Finished {
  row: MessageRow;
  result: AttemptResult;
  startedAt: number;
  durationMs: number;
}

/** The longest the dispatcher sleeps before looking again, whatever the next due time says. */
const MAX_SLEEP_MS = 30_000;
/** Finished messages kept for the page and `messages.get`; the event log outlives them. */
const KEEP_FINISHED = 10_000;

interface Work {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Delivers due messages, in turns. Each turn is one SQLite transaction: it stores the publishes
 * that arrived since the last turn, applies finished attempts, fires due schedules, and marks the
 * next due messages ACTIVE (messages outside queues, the first `parallelism` unfinished messages
 * of each running queue). Only after the commit are publishers answered and requests sent, so an
 * acknowledged message is on disk, and a message on the wire is ACTIVE on disk: a crash leaves
 * it to be sent again on restart. At least once, never lost; one commit for many messages.
 */
export class Dispatcher {
  readonly #store: Store;
  readonly #options: DispatcherOptions;
  readonly #agent;
  readonly #inFlight = new Map<string, Promise<void>>();
  /** One signal for every attempt: shutting down abandons them all at once. */
  readonly #shutdown = new AbortController();
  #finished: Finished[] = [];
  /** Deliveries on the wire per flow-control key. */
  readonly #activeByKey = new Map<string, number>();
  #work: Work[] = [];
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #finishedSincePrune = 0;
  #lastSweep = 0;

  constructor(store: Store, options: DispatcherOptions) {
    this.#store = store;
    this.#options = options;
    this.#agent = createAgent(options.concurrency);
    setMaxListeners(0, this.#shutdown.signal); // one listener per attempt in flight, by design
  }

  /** Picks up what a previous run left in flight, then starts delivering. */
  start(): { recovered: number } {
    const recovered = this.#store.messages.recoverInFlight();
    this.wake();
    return { recovered };
  }

  /** Deliveries on the wire for a flow-control key. */
  activeFor(key: string): number {
    return this.#activeByKey.get(key) ?? 0;
  }

  /** Deliveries on the wire in all, and the most there may be (the global parallelism). */
  get load(): { active: number; concurrency: number } {
    return { active: this.#inFlight.size, concurrency: this.#options.concurrency };
  }

  /** Something changed (a publish, a finished attempt, a resumed queue): take a turn soon. */
  wake(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#closed) this.#turn();
    });
  }

  /**
   * Runs `write` inside the next turn's transaction and resolves once that has committed: the
   * publishes of one event-loop turn share a commit (group commit), and each is acknowledged
   * only when it is durable. A `write` that throws rolls back alone.
   */
  submit<T>(write: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the broker is shutting down'));
    return new Promise<T>((resolve, reject) => {
      this.#work.push({ run: write, resolve: resolve as (value: unknown) => void, reject });
      this.wake();
    });
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Makes delayed messages (all, one, or one queue's) due now. */
  deliverNow(filter: { messageId?: string; queueName?: string }): number {
    const changed = this.#store.messages.deliverNow(filter);
    this.wake();
    return changed;
  }

  /** Fires a schedule now, outside its cron; its next regular run is unchanged. */
  triggerSchedule(id: string): Promise<string[] | undefined> {
    return this.submit(() => {
      const row = this.#store.schedules.get(id);
      if (!row) return undefined;
      const now = Date.now();
      return scheduleMessages(this.#store, row, now).map((spec) =>
        createMessage(this.#store, spec, now),
      );
    });
  }

  /** Stops delivering. Attempts on the wire are abandoned and left due, not counted as retries. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#shutdown.abort();
    await Promise.all(this.#inFlight.values());
    const work = this.#work;
    this.#work = [];
    for (const item of work) item.reject(new Error('the broker is shutting down'));
    const finished = this.#finished;
    this.#finished = [];
    this.#store.db.tx(() => this.#apply(finished, Date.now()));
    await this.#agent.destroy();
  }

  #turn(): void {
    const { db } = this.#store;
    const work = this.#work;
    const finished = this.#finished;
    this.#work = [];
    this.#finished = [];
    const now = Date.now();
    let outcomes: Settled<unknown>[] = [];
    let picked: { rows: MessageRow[]; wakeAt: number | undefined } = {
      rows: [],
      wakeAt: undefined,
    };
    try {
      db.tx(() => {
        outcomes = db.each(work, (item) => item.run());
        this.#apply(finished, now);
        this.#fireSchedules(now);
        picked = this.#pick(now);
      });
    } catch (error) {
      // The commit itself failed (disk full?): nothing of this turn is stored. Publishers hear
      // so; finished attempts are kept for the next turn.
      for (const item of work) item.reject(error);
      this.#finished.unshift(...finished);
      console.error('signet dev: could not commit', error);
      this.#arm(now + 1000, now);
      return;
    }
    work.forEach((item, index) => {
      const outcome = outcomes[index] as Settled<unknown>;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
    for (const row of picked.rows) this.#deliver(row);
    const nextSchedule = this.#store.schedules.nextDue();
    let { wakeAt } = picked;
    if (nextSchedule !== undefined) wakeAt = Math.min(wakeAt ?? nextSchedule, nextSchedule);
    this.#arm(wakeAt, now);
    this.#housekeeping(now);
  }

  /** Chooses due messages for the free delivery slots and marks them ACTIVE. */
  #pick(now: number): { rows: MessageRow[]; wakeAt: number | undefined } {
    const { messages, queues, flowKeys } = this.#store;
    let free = this.#options.concurrency - this.#inFlight.size;
    const rows: MessageRow[] = free > 0 ? messages.dueUnqueued(now, free) : [];
    free -= rows.length;
    let wakeAt = free > 0 ? messages.nextDueUnqueued() : undefined;
    const wake = (at: number | undefined) => {
      if (at !== undefined) wakeAt = Math.min(wakeAt ?? at, at);
    };
    // A flow-controlled message may start when its key is not paused, has a parallelism slot
    // and has a start left in the rate's current period (counted durably).
    const gate = new FlowGate(flowKeys, this.#activeByKey, now, wake);

    if (free > 0) {
      for (const key of messages.dueKeys(now)) {
        if (free <= 0) break;
        const room = Math.min(free, gate.room(key));
        if (room <= 0) continue;
        for (const row of messages.dueForKey(key, now, room)) {
          if (!gate.start(key)) break;
          rows.push(row);
          free--;
        }
      }
      wake(messages.nextDueKeyed(now));
    }

    for (const queue of queues.list()) {
      if (free <= 0) break;
      if (queue.paused) continue;
      for (const row of messages.queueHead(queue.name, queue.parallelism)) {
        if (row.state === 'ACTIVE' || free <= 0) continue;
        if (row.not_before > now) {
          wake(row.not_before);
          continue;
        }
        const key = row.flow_control_key;
        // A queue delivers in order: a message its key holds back holds the queue too.
        if (key !== null && (gate.room(key) <= 0 || !gate.start(key))) break;
        rows.push(row);
        free--;
      }
    }
    for (const row of rows) messages.transition(row, 'ACTIVE', {}, now);
    return { rows, wakeAt };
  }

  #arm(at: number | undefined, now: number): void {
    clearTimeout(this.#timer);
    const delay = Math.min(Math.max((at ?? now + MAX_SLEEP_MS) - now, 0), MAX_SLEEP_MS);
    this.#timer = setTimeout(() => this.wake(), delay);
    this.#timer.unref();
  }

  /** Due schedules publish their message; a schedule that missed runs while down fires once. */
  #fireSchedules(now: number): void {
    for (const row of this.#store.schedules.due(now)) {
      for (const spec of scheduleMessages(this.#store, row, now))
        createMessage(this.#store, spec, now);
      this.#store.schedules.markRun(row, now);
    }
  }

  #deliver(row: MessageRow): void {
    const startedAt = Date.now();
    const clock = performance.now();
    const key = row.flow_control_key;
    if (key !== null) this.#activeByKey.set(key, (this.#activeByKey.get(key) ?? 0) + 1);
    const done = this.#attempt(row).then((result) => {
      this.#inFlight.delete(row.id);
      if (key !== null) {
        const left = (this.#activeByKey.get(key) ?? 1) - 1;
        if (left > 0) this.#activeByKey.set(key, left);
        else this.#activeByKey.delete(key);
      }
      this.#finished.push({ row, result, startedAt, durationMs: performance.now() - clock });
      this.wake();
    });
    this.#inFlight.set(row.id, done);
  }

  async #attempt(row: MessageRow): Promise<AttemptResult> {
    // A message of a workflow run carries the run's history up to it, as the SDK reads it.
    const run = this.#store.workflows.delivery(row.id);
    const body = run ? run.body : row.body;
    const headers: Record<string, string> = {
      ...(JSON.parse(row.headers) as Record<string, string>),
      'user-agent': 'Upstash-QStash',
      'upstash-message-id': row.id,
      'upstash-retried': String(row.retried),
    };
    if (row.schedule_id) headers['upstash-schedule-id'] = row.schedule_id;
    if (row.topic_name) headers['upstash-topic-name'] = row.topic_name;
    if (row.caller_ip) headers['upstash-caller-ip'] = row.caller_ip;
    if (run) {
      headers['upstash-workflow-runid'] = run.runId;
      headers['upstash-workflow-createdat'] = String(run.createdAt);
      if (run.url) headers['upstash-workflow-url'] = run.url;
    }
    try {
      // Signed per attempt: a retry hours later must not carry an expired token.
      headers['upstash-signature'] = await this.#store.keys.signer.sign({
        url: row.url,
        body,
      });
    } catch (error) {
      return {
        kind: 'error',
        error: `signing failed: ${(error as Error).message}`,
        interrupted: false,
      };
    }
    return send(
      {
        url: row.url,
        method: row.method,
        headers,
        body,
        timeoutMs: attemptTimeout(row.timeout_ms, this.#options.timeoutMs),
        signal: this.#shutdown.signal,
      },
      this.#agent,
    );
  }

  /** Applies finished attempts (inside the turn's transaction). */
  #apply(batch: Finished[], now: number): void {
    const { db, messages } = this.#store;
    const settled = db.each(batch, (finished, again) => {
      this.#record(finished);
      this.#applyOne(
        again ? (messages.get(finished.row.id) ?? finished.row) : finished.row,
        finished.result,
        now,
      );
    });
    settled.forEach((outcome, index) => {
      if (outcome.ok) return;
      // A bug here must not wedge every later turn: the message fails, visibly, and delivery goes on.
      const { row } = batch[index] as Finished;
      console.error(`signet dev: could not record the outcome of ${row.id}`, outcome.error);
      messages.transition(
        row,
        'FAILED',
        { error: `internal error: ${(outcome.error as Error).message}` },
        now,
      );
    });
    this.#finishedSincePrune += batch.length;
  }

  /** What the page shows of an attempt: when, how long, and what the destination said. */
  #record({ row, result, startedAt, durationMs }: Finished): void {
    this.#store.attempts.record({
      messageId: row.id,
      attempt: row.retried,
      startedAt,
      durationMs,
      ...(result.kind === 'response'
        ? { status: result.status, responseHeaders: result.headers, responseBody: result.body }
        : { error: result.error }),
    });
  }

  #applyOne(row: MessageRow, result: AttemptResult, now: number): void {
    const { messages } = this.#store;
    // Cancelled while on the wire: the cancel wins, whatever the destination answered.
    if (messages.isCancelled(row.id)) {
      this.#log(row, result, 'cancelled');
      return;
    }
    if (result.kind === 'error' && result.interrupted) {
      messages.transition(row, 'RETRY', { notBefore: now, error: result.error }, now);
      return;
    }
    const status = result.kind === 'response' ? result.status : undefined;
    const error = result.kind === 'error' ? result.error : undefined;
    // QStash calls the callback after every attempt that got a response; the body's
    // `retried` and `maxRetries` tell the receiver whether more attempts will follow.
    if (result.kind === 'response') this.#createCallback(row, 'callback', result, now);
    const decision = decide(row, result, now, this.#options.retryScale);
    this.#log(row, result, decision.kind);
    if (decision.kind === 'delivered') {
      messages.transition(row, 'DELIVERED', { status }, now);
    } else if (decision.kind === 'retry') {
      messages.recordError(row, status, error, now);
      messages.transition(
        row,
        'RETRY',
        { retried: row.retried + 1, notBefore: decision.notBefore, status, error },
        now,
      );
    } else {
      messages.recordError(row, status, error, now);
      messages.transition(row, 'FAILED', { status, error }, now);
      this.#fail(row, result, now);
    }
  }

  #log(row: MessageRow, result: AttemptResult, outcome: string): void {
    if (!this.#options.log) return;
    const answer = result.kind === 'response' ? String(result.status) : result.error;
    const attempt = `attempt ${row.retried + 1}/${row.max_retries + 1}`;
    this.#options.log(`${row.method} ${row.url} → ${answer} · ${outcome} · ${row.id} · ${attempt}`);
  }

  #createCallback(
    row: MessageRow,
    kind: 'callback' | 'failureCallback',
    result: AttemptResult,
    now: number,
    dlqId?: string,
  ): string | undefined {
    const spec = callbackFor(this.#store, row, kind, result, now, dlqId);
    return spec && createMessage(this.#store, spec, now);
  }

  /**
   * A message out of retries. A step of a running workflow run fails the run (its other pending
   * deliveries are cancelled, an invoker is told); the failure function's message is kept on the
   * run. A `context.call` that got no answer still calls back, so the run goes on with it.
   */
  #fail(row: MessageRow, result: AttemptResult, now: number): void {
    const { deadLetters, workflows } = this.#store;
    const owner = workflows.runOf(row.id);
    const running = owner?.run.state === 'RUN_STARTED' ? owner.run.run_id : undefined;
    const dlqId = deadLetters.add(
      row,
      result.kind === 'response' ? result : {},
      now,
      owner?.run.run_id,
    );
    if (running) endRun(this.#store, running, { state: 'RUN_FAILED', dlqId }, now);
    if (result.kind === 'error' && isWorkflowCall(row))
      this.#createCallback(row, 'callback', result, now);
    const failureMessage = this.#createCallback(row, 'failureCallback', result, now, dlqId);
    if (running && failureMessage) workflows.setFailureMessage(running, failureMessage);
  }

  #housekeeping(now: number): void {
    if (this.#finishedSincePrune >= 1000) {
      this.#finishedSincePrune = 0;
      this.#store.messages.prune(KEEP_FINISHED);
      this.#store.attempts.prune();
    }
    if (now - this.#lastSweep > 60_000) {
      this.#lastSweep = now;
      this.#store.dedup.sweep(now);
    }
  }
}

/**
 * The timeout of one attempt: the message's own (checked on the way in, but a database written
 * by an older version may hold anything), else the broker's default.
 */
function attemptTimeout(stored: number | null, fallback: number): number {
  const { min, max } = LIMITS.timeoutMs;
  return stored !== null && Number.isFinite(stored)
    ? Math.min(max, Math.max(min, stored))
    : fallback;
}
