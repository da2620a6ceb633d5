/**
 * QStash's retry backoff: after the n-th failed attempt the next one waits
 * min(86400, e^(2.5 n)) seconds (12 s, 2 m 28 s, 30 m 8 s, 6 h 7 m, then a day), divided by
 * `retryScale` so development does not wait hours. Returns milliseconds.
 */
export function backoffMs(retried: number, retryScale: number): number {
  const seconds = Math.min(86_400, Math.exp(2.5 * retried));
  return Math.max(0, Math.round((seconds * 1000) / retryScale));
}

/** `Retry-After` (seconds or an HTTP date), capped at a day like QStash. Milliseconds. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, 86_400_000) : undefined;
}

// `Upstash-Retry-Delay`: an arithmetic expression in milliseconds over `retried` (how many
// retries so far), with pow, sqrt, abs, exp, floor, ceil, round, min, max. Parsed here by a
// small recursive-descent parser, never evaluated as code.

const FUNCTIONS: Record<string, (...args: number[]) => number> = {
  pow: Math.pow,
  sqrt: Math.sqrt,
  abs: Math.abs,
  exp: Math.exp,
  floor: Math.floor,
  ceil: Math.ceil,
  round: Math.round,
  min: Math.min,
  max: Math.max,
};

type Token =
  | { kind: 'number'; value: number }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_]\w*)|([-+*/(),]))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(source);
    if (!match) throw new Error(`unexpected "${source.slice(at).trim()[0]}" at ${at}`);
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]) });
    else if (match[2] !== undefined) tokens.push({ kind: 'name', value: match[2] });
    else tokens.push({ kind: 'op', value: match[3] as string });
    at = pattern.lastIndex;
  }
  return tokens;
}

/** Compiles a retry-delay expression; throws on anything but the documented grammar. */
export function compileRetryDelay(source: string): (retried: number) => number {
  const tokens = tokenize(source);
  let position = 0;
  const peek = () => tokens[position];
  const take = (op?: string) => {
    const token = tokens[position];
    if (!token || (op !== undefined && (token.kind !== 'op' || token.value !== op))) {
      throw new Error(op ? `expected "${op}"` : 'unexpected end');
    }
    position++;
    return token;
  };
  type Node = (retried: number) => number;
  const expression = (): Node => {
    let left = term();
    for (
      let token = peek();
      token?.kind === 'op' && (token.value === '+' || token.value === '-');
      token = peek()
    ) {
      take();
      const right = term();
      const l = left;
      left = token.value === '+' ? (r) => l(r) + right(r) : (r) => l(r) - right(r);
    }
    return left;
  };
  const term = (): Node => {
    let left = factor();
    for (
      let token = peek();
      token?.kind === 'op' && (token.value === '*' || token.value === '/');
      token = peek()
    ) {
      take();
      const right = factor();
      const l = left;
      left = token.value === '*' ? (r) => l(r) * right(r) : (r) => l(r) / right(r);
    }
    return left;
  };
  const factor = (): Node => {
    const token = take();
    if (token.kind === 'number') return () => token.value;
    if (token.kind === 'op' && token.value === '-') {
      const inner = factor();
      return (r) => -inner(r);
    }
    if (token.kind === 'op' && token.value === '(') {
      const inner = expression();
      take(')');
      return inner;
    }
    if (token.kind === 'name' && token.value === 'retried') return (r) => r;
    if (token.kind === 'name' && token.value in FUNCTIONS) {
      const fn = FUNCTIONS[token.value] as (...args: number[]) => number;
      take('(');
      const args: Node[] = [expression()];
      while (peek()?.kind === 'op' && peek()?.value === ',') {
        take(',');
        args.push(expression());
      }
      take(')');
      return (r) => fn(...args.map((arg) => arg(r)));
    }
    throw new Error(`unknown name "${String(token.value)}"`);
  };
  const compiled = expression();
  if (position !== tokens.length) throw new Error('unexpected input after the expression');
  return (retried) => {
    const value = compiled(retried);
    return Number.isFinite(value) && value >= 0 ? value : 0;
  };
}
