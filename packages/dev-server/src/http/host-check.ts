// A web page the developer visits can point a name it controls at 127.0.0.1 (DNS rebinding) and
// then talk to the broker from the browser: the development token and keys are public, so it
// could read the signing keys or publish. Such requests name the attacker's host in `Host`, so
// the broker answers only requests addressed to this machine by a loopback name, the address it
// listens on, or a name it was told to allow.

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/** `Example.com:8080` → `example.com`; `[::1]:8080` → `[::1]`. */
function hostname(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end === -1 ? value : value.slice(0, end + 1);
  }
  const colon = value.indexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

/** Accepts `[::1]` or `::1` alike for IPv6 listen addresses and allowed names. */
function bracketed(name: string): string {
  const value = hostname(name.includes(':') && !name.startsWith('[') ? `[${name}]` : name);
  return value;
}

/**
 * A check of the `Host` header: loopback names (and `*.localhost`, which browsers never ask DNS
 * for), the address the broker listens on unless it is a wildcard, and `allowed`. A request
 * without `Host` (HTTP/1.0 tools) passes: browsers always send one.
 */
export function hostCheck(
  listenHost: string,
  allowed: readonly string[],
): (host: string | undefined) => boolean {
  const names = new Set(LOOPBACK);
  if (!['0.0.0.0', '::', '[::]', ''].includes(listenHost)) names.add(bracketed(listenHost));
  for (const name of allowed) names.add(bracketed(name));
  return (host) => {
    if (host === undefined || host === '') return true;
    const name = hostname(host);
    return names.has(name) || name.endsWith('.localhost');
  };
}

export function hostRefusal(host: string): string {
  const name = hostname(host);
  return `signet dev answers only requests addressed to 127.0.0.1, localhost or [::1] (this one was for ${JSON.stringify(name)}): if that name is yours, start signet dev with --allow-host ${name}`;
}
