// Hostile spellings of a request path: every way a client can write a path that a router may
// still route to the same handler. A guard that matches paths must treat each of them as the
// path itself (or refuse it); the conformance suite sends them all over real HTTP.

export interface PathVariant {
  /** The request target's path, exactly as it goes on the wire. */
  path: string;
  /** What was done to it, for test names. */
  why: string;
}

const hex = (char: string, lower: boolean) => {
  const code = char.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${lower ? code : code.toUpperCase()}`;
};

/**
 * Spellings of `path` (absolute, `/a/b`, ASCII): each character percent-encoded in both hex cases
 * and double-encoded; each `/` encoded or as `\`; doubled slashes; `.`, `..` and encoded dot
 * segments; trailing `/`, `%2F`, `/.`, `;params`, `%00`, `%20`, `%09`; case changes.
 */
export function pathVariants(path: string): PathVariant[] {
  if (!path.startsWith('/')) throw new TypeError(`pathVariants: ${path} is not absolute`);
  const out = new Map<string, string>();
  const add = (variant: string, why: string) => {
    if (variant !== path && !out.has(variant)) out.set(variant, why);
  };
  const at = (i: number, replacement: string) => path.slice(0, i) + replacement + path.slice(i + 1);

  for (let i = 0; i < path.length; i++) {
    const char = path.charAt(i);
    if (char === '/') {
      if (i === 0) continue;
      add(at(i, '%2F'), `slash ${i} as %2F`);
      add(at(i, '%2f'), `slash ${i} as %2f`);
      add(at(i, '%252F'), `slash ${i} double-encoded`);
      add(at(i, '\\'), `slash ${i} as a backslash`);
      add(at(i, '%5C'), `slash ${i} as %5C`);
      continue;
    }
    add(at(i, hex(char, false)), `'${char}' at ${i} as upper-case hex`);
    add(at(i, hex(char, true)), `'${char}' at ${i} as lower-case hex`);
    add(at(i, `%25${hex(char, false).slice(1)}`), `'${char}' at ${i} double-encoded`);
  }

  const segments = path.split('/').slice(1);
  const join = (parts: string[]) => `/${parts.join('/')}`;
  for (let s = 0; s < segments.length; s++) {
    const before = segments.slice(0, s);
    const after = segments.slice(s);
    add(join([...before, '', ...after]), `empty segment before segment ${s}`);
    for (const dot of ['.', '%2e', '%2E'])
      add(join([...before, dot, ...after]), `'${dot}' segment before segment ${s}`);
    for (const dots of ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%252e%252e']) {
      add(join([...before, 'x', dots, ...after]), `'x/${dots}' before segment ${s}`);
    }
    const own = segments[s] as string;
    const swap = (replacement: string) => join([...before, replacement, ...segments.slice(s + 1)]);
    add(swap(`${own};x=1`), `';x=1' on segment ${s}`);
    add(swap(`${own}%00`), `NUL after segment ${s}`);
    add(swap(`${own}%20`), `space after segment ${s}`);
    add(swap(own.toUpperCase()), `segment ${s} in upper case`);
    add(swap(own.charAt(0).toUpperCase() + own.slice(1)), `segment ${s} capitalised`);
  }
  add(`/${path}`, 'a leading double slash');
  add(path.toUpperCase(), 'all upper case');
  for (const tail of [
    '/',
    '%2F',
    '%2f',
    '/.',
    '/%2e',
    '//',
    ';',
    ';x=1',
    '%00',
    '%20',
    '%09',
    '.',
    '%23x',
    '?',
  ]) {
    add(`${path}${tail}`, `trailing '${tail}'`);
  }
  return [...out].map(([variant, why]) => ({ path: variant, why }));
}
