#!/usr/bin/env node
import { parseArgs } from 'node:util';

// The broker keeps its data in node:sqlite, which older Node versions do not have: say so in one
// line instead of failing on the import. (server.ts is imported only after this check.)
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 17)) {
  process.stderr.write(
    `signet dev needs Node.js 22.17 or newer (it stores messages with node:sqlite); this is Node.js ${process.versions.node}.\n`,
  );
  process.exit(1);
}
const { DEFAULT_PORT, startDevServer } = await import('./server.ts');

const HELP = `signet dev — a local QStash-compatible broker

Usage: signet dev [options]

Options:
  --port <n>          port to listen on (default: QSTASH_DEV_PORT or ${DEFAULT_PORT})
  --host <address>    address to listen on (default: 127.0.0.1)
  --allow-host <name> also answer requests for this Host name (a tunnel, another machine);
                      repeat or comma-separate for several. Others get 403 (DNS rebinding)
  --data <dir>        folder for the SQLite database (default: .signet)
  --memory            keep everything in memory; nothing survives a restart
  --durable-full      fsync every commit (survives power loss, slower)
  --retry-scale <n>   divide QStash's retry backoff by n (default: 1; 60 makes 12 s into 0.2 s)
  --timeout <s>       per-attempt timeout in seconds when a message sets none (default: 30)
  --max-body <bytes>  largest message body accepted (default: 1048576)
  --concurrency <n>   deliveries in flight at once (default: 64)
  --token <token>     API token (default: the official SDK's development token)
  --keys <cur,next>   signing keys, comma-separated (default: stored, else the SDK's development keys)
  --quiet             do not print a line per delivery attempt
  -h, --help          show this help
`;

function fail(message: string): never {
  process.stderr.write(`signet: ${message}\n\nRun "signet --help" for usage.\n`);
  process.exit(2);
}

function positive(
  value: string | undefined,
  flag: string,
  { integer = true } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number)))
    fail(`${flag} needs a positive ${integer ? 'whole ' : ''}number, got "${value}"`);
  return number;
}

async function main(): Promise<void> {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
      allowPositionals: true;
    }>
  >;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        data: { type: 'string' },
        memory: { type: 'boolean' },
        'durable-full': { type: 'boolean' },
        'retry-scale': { type: 'string' },
        timeout: { type: 'string' },
        'max-body': { type: 'string' },
        concurrency: { type: 'string' },
        token: { type: 'string' },
        keys: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  const flag = (name: string) => values[name] as string | undefined;
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (positionals[0] !== 'dev' || positionals.length > 1)
    fail(
      positionals.length
        ? `unknown command "${positionals.join(' ')}"`
        : 'missing the command: signet dev',
    );

  let keys: { current: string; next: string } | undefined;
  if (flag('keys') !== undefined) {
    const [current, next, ...rest] = (flag('keys') as string).split(',').map((key) => key.trim());
    if (!current || !next || rest.length) fail('--keys takes two keys: --keys <current>,<next>');
    keys = { current, next };
  }
  const portValue = flag('port') ?? process.env.QSTASH_DEV_PORT;
  const port = portValue === undefined ? DEFAULT_PORT : Number(portValue);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    fail(`--port needs a port number, got "${portValue}"`);
  const timeoutSeconds = positive(flag('timeout'), '--timeout', { integer: false });

  const server = await startDevServer({
    port,
    host: flag('host') ?? '127.0.0.1',
    allowedHosts: ((values['allow-host'] as string[] | undefined) ?? []).flatMap((names) =>
      names
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    ),
    dataDir: flag('data') ?? '.signet',
    memory: Boolean(values.memory),
    durability: values['durable-full'] ? 'full' : 'normal',
    retryScale: positive(flag('retry-scale'), '--retry-scale', { integer: false }) ?? 1,
    ...(timeoutSeconds !== undefined && { timeoutMs: timeoutSeconds * 1000 }),
    ...(flag('max-body') !== undefined && {
      maxBodyBytes: positive(flag('max-body'), '--max-body') as number,
    }),
    ...(flag('concurrency') !== undefined && {
      concurrency: positive(flag('concurrency'), '--concurrency') as number,
    }),
    ...(flag('token') !== undefined && { token: flag('token') as string }),
    ...(keys && { keys }),
    ...(!values.quiet && {
      log: (line: string) =>
        process.stdout.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`),
    }),
  }).catch((error: Error) => fail(error.message));

  const { current, next } = server.keys;
  process.stdout.write(
    [
      `signet dev running at ${server.url} (data: ${server.location}${server.recovered ? `, ${server.recovered} in-flight deliveries resumed` : ''})`,
      '',
      'Paste into .env:',
      `QSTASH_URL=${server.url}`,
      `QSTASH_TOKEN=${server.token}`,
      `QSTASH_CURRENT_SIGNING_KEY=${current}`,
      `QSTASH_NEXT_SIGNING_KEY=${next}`,
      '',
      `Messages, schedules and dead letters: ${server.url}/`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1); // a second Ctrl-C does not wait
    stopping = true;
    server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
