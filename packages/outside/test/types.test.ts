// Every public package's types, as published: packed, installed into a brand-new TypeScript
// project next to the frameworks they name, and compiled under `moduleResolution: bundler` and
// `node16` with `skipLibCheck` off. Nothing may fail to resolve, nothing may be `any`, and
// core's `exports` conditions must pick the Node build's types under node16 and the Web build's
// under bundler (no condition named: the default).
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_PACKAGES } from './pack.ts';
import { newProject, npm, withTarballs, write } from './project.ts';

const consumer = new URL('./types/consumer.ts', import.meta.url);
// The frameworks the adapters' types name, as an app using them has them installed.
const PEERS = [
  'hono',
  'express',
  '@types/express',
  'fastify',
  'h3',
  'next',
  'react',
  'react-dom',
  '@types/react',
  '@types/react-dom',
  '@sveltejs/kit',
  'svelte',
  'vite',
  '@solidjs/start',
  'typescript@6',
  '@types/node@24',
];

let dir: string;
beforeAll(() => {
  dir = newProject('types');
  npm(dir, ['pkg', 'set', 'type=module']);
  npm(dir, [
    'install',
    ...withTarballs(PUBLIC_PACKAGES.map((name) => `@signet/${name}`)),
    ...PEERS,
  ]);
  copyFileSync(consumer, join(dir, 'consumer.ts'));
});

it('imports every entry point of every public package', () => {
  const source = readFileSync(consumer, 'utf8');
  for (const name of PUBLIC_PACKAGES) {
    const manifest = JSON.parse(
      readFileSync(new URL(`../../${name}/package.json`, import.meta.url), 'utf8'),
    ) as { name: string; exports: Record<string, unknown> };
    for (const entry of Object.keys(manifest.exports)) {
      if (entry.endsWith('.json')) continue;
      expect(source).toContain(`from '${manifest.name}${entry.slice(1)}'`);
    }
  }
});

describe.each([
  ['bundler', { module: 'preserve', moduleResolution: 'bundler' }, 'index.web.d.ts'],
  ['node16', { module: 'node16', moduleResolution: 'node16' }, 'index.node.d.ts'],
])('moduleResolution %s', (name, resolution, coreTypes) => {
  const tsc = (extra: string[] = []) => {
    write(dir, {
      [`tsconfig.${name}.json`]: JSON.stringify({
        compilerOptions: {
          ...resolution,
          target: 'es2022',
          lib: ['es2023', 'dom'],
          types: ['node'],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['consumer.ts'],
      }),
    });
    const result = spawnSync(
      process.execPath,
      [join(dir, 'node_modules/typescript/bin/tsc'), '-p', `tsconfig.${name}.json`, ...extra],
      { cwd: dir, encoding: 'utf8' },
    );
    return `${result.stdout}${result.stderr}`;
  };

  it('compiles, with no error in Signet types or in the code using them', () => {
    // The frameworks' own declarations may not all compile with skipLibCheck off; every other
    // error (ours, the code using them, the configuration) fails the test.
    const errors = tsc()
      .split('\n')
      .filter((line) => line.includes('error TS'))
      .filter((line) => !/^node_modules\/(?!@signet\/)/.test(line));
    expect(errors).toEqual([]);
  });

  it(`resolves @signet/core to ${coreTypes}`, () => {
    const files = tsc(['--listFilesOnly']);
    expect(files).toContain(`node_modules/@signet/core/dist/${coreTypes}`);
  });
});
