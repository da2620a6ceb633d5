import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

it('imports @signet/core instead of bundling a copy of it', () => {
  const code = readdirSync(dist)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(`${dist}${file}`, 'utf8'))
    .join('\n');
  expect(code).toMatch(/from\s*["']@signet\/core["']/);
  for (const marker of [
    'function defineCreateSigner',
    'class VerificationError',
    'function parseToken',
  ])
    expect(code).not.toContain(marker);
});

it('ships the CLI as an executable script', () => {
  expect(readFileSync(`${dist}cli.js`, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  expect(pkg.bin).toEqual({ signet: './dist/cli.js' });
});
