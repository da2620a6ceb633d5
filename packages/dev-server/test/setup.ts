// The official Client logs every refused request to stderr; the tests refuse many on purpose.
// Its lines are dropped, everything else (the broker's own errors) still shows.
const error = console.error.bind(console);
console.error = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('[Upstash QStash]')) return;
  error(...args);
};
