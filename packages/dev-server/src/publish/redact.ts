// `Upstash-Redact-Fields` (the SDK's `redact` option): `body`, `header` (every header) or
// `header[Name]`, comma-separated (the docs spell it `headers`; both are read). A redacted value
// is still delivered as published, but everything that shows a message (the API, dead letters,
// the page) shows `REDACTED:<sha256 hex>` instead, as hosted QStash does.
import { createHash } from 'node:crypto';
import { badRequest } from '../errors.ts';

export interface Redaction {
  body?: true;
  /** true: every header; else the names (lower case) to hide. */
  headers?: true | string[];
}

export function parseRedaction(value: string | undefined): Redaction | undefined {
  if (value === undefined) return undefined;
  const redaction: Redaction = {};
  for (const raw of value.split(',')) {
    const field = raw.trim();
    if (field === '') continue;
    const named = /^headers?\[([^\]]+)\]$/i.exec(field);
    if (field.toLowerCase() === 'body') redaction.body = true;
    else if (/^headers?$/i.test(field)) redaction.headers = true;
    else if (named) {
      if (redaction.headers !== true)
        redaction.headers = [...(redaction.headers ?? []), (named[1] as string).toLowerCase()];
    } else {
      throw badRequest(
        `Upstash-Redact-Fields: unknown field ${JSON.stringify(field)} (body, header, header[Name])`,
      );
    }
  }
  return redaction.body || redaction.headers ? redaction : undefined;
}

export const storedRedaction = (redaction: Redaction | undefined): string | null =>
  redaction ? JSON.stringify(redaction) : null;

export const readRedaction = (stored: string | null | undefined): Redaction | undefined =>
  stored ? (JSON.parse(stored) as Redaction) : undefined;

const redacted = (value: Uint8Array | string) =>
  `REDACTED:${createHash('sha256').update(value).digest('hex')}`;

/** The body as shown: itself, or its redaction. */
export function shownBodyBytes(body: Uint8Array, redaction: Redaction | undefined): Uint8Array {
  return redaction?.body ? Buffer.from(redacted(body)) : body;
}

/** Headers as shown: each hidden one replaced by its redaction. */
export function shownHeaders(
  headers: Record<string, string>,
  redaction: Redaction | undefined,
): Record<string, string> {
  const hide = redaction?.headers;
  if (!hide) return headers;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    out[name] = hide === true || hide.includes(name.toLowerCase()) ? redacted(value) : value;
  return out;
}
