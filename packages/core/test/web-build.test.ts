// The default export condition must run where there is no Node: edge runtimes, workers, Deno,
// browsers. Checked on the built output, twice: statically (no module in its import graph is a
// Node built-in) and by running it in a sandbox that has only Web globals.
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { rolldown } from 'rolldown';
import { describe, expect, it } from 'vitest';
import { BODY, KEYS, makeToken, URL_ } from './tokens.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const require = createRequire(resolve(root, 'package.json'));

function specifiers(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(
    /(?:import|export)\s[^'"`;]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s*["']([^"']+)["']/g,
  )) {
    found.add((match[1] ?? match[2] ?? match[3]) as string);
  }
  return [...found];
}

/** Resolves a bare package the way a Web bundler would: the `default` export condition. */
function resolveWebEntry(name: string): string {
  const packageJson = require.resolve(`${name}/package.json`);
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8'));
  let entry = manifest.exports?.['.'] ?? manifest.module ?? manifest.main;
  while (entry && typeof entry === 'object') entry = entry.default ?? entry.import;
  return resolve(dirname(packageJson), entry as string);
}

function importGraph(entry: string): { files: string[]; imports: string[] } {
  const seen = new Set<string>();
  const imports = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      imports.add(spec);
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else if (!builtins.has(spec)) visit(resolveWebEntry(spec));
    }
  };
  visit(entry);
  return { files: [...seen], imports: [...imports] };
}

describe('the Web build (default export condition)', () => {
  const webEntry = resolve(root, pkg.exports['.'].default.default);
  const nodeEntry = resolve(root, pkg.exports['.'].node.default);

  it('maps edge and worker conditions to the Web build and node to the Node build', () => {
    for (const condition of ['workerd', 'edge-light', 'worker', 'browser', 'deno', 'default']) {
      expect(pkg.exports['.'][condition].default, condition).toBe('./dist/index.web.js');
    }
    expect(pkg.exports['.'].node.default).toBe('./dist/index.node.js');
    // Order matters: an edge bundler that also sets `node` must still pick the Web build.
    const order = Object.keys(pkg.exports['.']);
    expect(order.indexOf('edge-light')).toBeLessThan(order.indexOf('node'));
  });

  it('imports no Node built-in anywhere in its module graph', () => {
    const { files, imports } = importGraph(webEntry);
    expect(files.length).toBeGreaterThan(1);
    expect(imports.filter((spec) => builtins.has(spec) || spec.startsWith('node:'))).toEqual([]);
  });

  it('and neither does the adapter entry point, which Web-standard adapters import', () => {
    const adapterEntry = resolve(root, pkg.exports['./adapter'].default);
    const { imports } = importGraph(adapterEntry);
    expect(imports.filter((spec) => builtins.has(spec) || spec.startsWith('node:'))).toEqual([]);
  });

  it('whereas the Node build does import node:crypto (so the check above can fail)', () => {
    expect(importGraph(nodeEntry).imports).toContain('node:crypto');
  });

  it('runs in a sandbox with only Web globals: no Buffer, process or require', async () => {
    const bundle = await rolldown({
      input: webEntry,
      platform: 'neutral',
      resolve: { conditionNames: ['worker', 'default'] },
    });
    const { output } = await bundle.generate({ format: 'iife', name: 'Signet' });
    await bundle.close();
    const code = output[0].code;

    const sandbox = vm.createContext({
      crypto: globalThis.crypto,
      CryptoKey,
      structuredClone,
      TextEncoder,
      TextDecoder,
      URL,
      Request,
      Response,
      Headers,
      ReadableStream,
      Blob,
      console,
      setTimeout,
      queueMicrotask,
      atob,
      btoa,
    });
    vm.runInContext(code, sandbox);
    expect(vm.runInContext('typeof Buffer + typeof process + typeof require', sandbox)).toBe(
      'undefinedundefinedundefined',
    );

    sandbox.input = { keys: KEYS, token: makeToken(), body: BODY, url: URL_ };
    const result = await vm.runInContext(
      `(async () => {
        const verifier = Signet.createVerifier({ ...input.keys, env: {} });
        const message = await verifier.verify({ signature: input.token, body: input.body, url: input.url });
        let refused = '';
        try { await verifier.verify({ signature: input.token, body: input.body + 'x', url: input.url }); }
        catch (error) { refused = error.code; }
        const signed = await Signet.createSigner({ key: input.keys.nextSigningKey }).sign({ url: input.url, body: 'hi' });
        const again = await verifier.verify({ signature: signed, body: 'hi', url: input.url });
        return [Signet.cryptoBackend, message.text(), refused, again.text()];
      })()`,
      sandbox,
    );
    expect(result).toEqual(['web', BODY, 'BODY_MISMATCH', 'hi']);
  });
});
