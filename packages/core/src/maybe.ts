/**
 * A value now, or later. The Node build's crypto is synchronous, and measured on Node 24 every
 * avoided `await` is worth ~0.2 µs on a ~7 µs verification; so the pipeline continues
 * synchronously whenever a step returned a plain value, and only becomes a promise when a step
 * really is asynchronous (Web Crypto, a stream, a Redis replay store, an async schema).
 */
export type Maybe<T> = T | Promise<T>;

export function isThenable<T>(value: Maybe<T> | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}

export function then<T, U>(value: Maybe<T>, next: (resolved: T) => Maybe<U>): Maybe<U> {
  return isThenable(value) ? Promise.resolve(value).then(next) : next(value);
}
