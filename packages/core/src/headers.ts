/** Headers as a `Headers` object or a plain record (Node's `IncomingHttpHeaders`). */
export type HeadersLike =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** A header by lower-case name, as the adapter contract reads them. */
export type HeaderReader = (name: string) => string | null | undefined;

type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * One header from either shape, by lower-case name. Repeated headers are joined with `, `, as
 * Node and `Headers` join them; so a request that repeats `Upstash-Signature` presents two
 * tokens joined, which is never a well-formed token, and is refused.
 */
export function readHeader(headers: HeadersLike, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as HeaderRecord;
  let value = record[name];
  if (value === undefined) {
    // Node's own records are lower-case already; a hand-built one may not be.
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === name) {
        value = record[key];
        break;
      }
    }
  }
  return Array.isArray(value) ? value.join(', ') : (value as string | undefined);
}

/** A reader over `headers`, or one that finds nothing. */
export function headerReader(headers: HeadersLike | undefined): HeaderReader {
  return headers ? (name) => readHeader(headers, name) : () => undefined;
}
