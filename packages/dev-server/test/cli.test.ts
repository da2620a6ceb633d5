import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/broker.ts';
import { CLI, runCli, startCli } from './helpers/cli.ts';

describe('signet dev (CLI)', () => {
  it('prints the URL, token and both keys to paste into .env, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    try {
      const cli = await startCli([
        'dev',
        '--port',
        '0',
        '--data',
        dir.path,
        '--token',
        'tok_1',
        '--keys',
        'sig_aaaa,sig_bbbb',
      ]);
      const output = cli.output();
      expect(output).toContain(`QSTASH_URL=${cli.url}`);
      expect(output).toContain('QSTASH_TOKEN=tok_1');
      expect(output).toContain('QSTASH_CURRENT_SIGNING_KEY=sig_aaaa');
      expect(output).toContain('QSTASH_NEXT_SIGNING_KEY=sig_bbbb');
      const keys = await fetch(`${cli.url}/v2/keys`, {
        headers: { authorization: 'Bearer tok_1' },
      });
      expect(await keys.json()).toEqual({ current: 'sig_aaaa', next: 'sig_bbbb' });
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
    } finally {
      dir.remove();
    }
  });

  it('prints one line per delivery attempt unless --quiet', async () => {
    const cli = await startCli(['dev', '--port', '0', '--memory', '--retry-scale', '1000']);
    try {
      await fetch(`${cli.url}/v2/publish/http://127.0.0.1:9/closed`, {
        method: 'POST',
        headers: {
          authorization:
            'Bearer eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=',
          'upstash-retries': '0',
        },
        body: 'x',
      });
      const deadline = Date.now() + 5000;
      while (!/ECONNREFUSED/.test(cli.output()) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(cli.output()).toMatch(
        /POST http:\/\/127\.0\.0\.1:9\/closed → .*ECONNREFUSED.* · dead · msg_\S+ · attempt 1\/1/,
      );
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });

  it('shows usage for --help, and exits 2 with a message for bad input', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--port',
      '--host',
      '--data',
      '--memory',
      '--retry-scale',
      '--timeout',
      '--max-body',
      '--concurrency',
      '--token',
      '--keys',
      '--quiet',
    ]) {
      expect(help.output).toContain(flag);
    }
    const cases: Array<[string[], RegExp]> = [
      [[], /missing the command/],
      [['serve'], /unknown command "serve"/],
      [['dev', '--port', 'eighty'], /--port needs a port number/],
      [['dev', '--retry-scale', '0'], /--retry-scale needs a positive number/],
      [['dev', '--keys', 'only-one'], /--keys takes two keys/],
      [['dev', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.output).toMatch(message);
    }
  });

  it('says which port is taken, and how to pick another', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runCli(['dev', '--port', String(port), '--memory']);
      expect(result.code).toBe(2);
      expect(result.output).toContain(`port ${port} is in use`);
      expect(result.output).toContain('--port');
    } finally {
      blocker.close();
    }
  });
});

describe('signet dev on an older Node', () => {
  // The machine's own Node when it is older than 22.17 (Debian's is 20 here), else the same check
  // with the version faked: either way the CLI must say what it needs, in one line, before it
  // tries to load node:sqlite.
  const older = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => {
    if (!existsSync(path)) return false;
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim().slice(1);
    const [major = 0, minor = 0] = version.split('.').map(Number);
    return major < 22 || (major === 22 && minor < 17);
  });

  it('prints which Node it needs and why, in one line, and exits 1', () => {
    const [node, args] = older
      ? [older, [CLI, 'dev']]
      : [
          process.execPath,
          [
            '--import',
            `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'20.20.2'})`,
            CLI,
            'dev',
          ],
        ];
    const result = spawnSync(node, args, { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^signet dev needs Node\.js 22\.17 or newer \(it stores messages with node:sqlite\); this is Node\.js 20\./,
      ),
    ]);
    expect(result.stdout).toBe('');
  });
});
