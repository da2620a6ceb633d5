// Each demo copied out of the repository, as a person would: the folder alone in a temporary
// directory, Signet's packages pointed at their packed tarballs, then `npm install`, its type
// check, its build and its own smoke test (`npm run smoke`). Nothing of the repository may be
// needed: no private package, no `workspace:` version, no `../../` path.
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { npm } from './project.ts';

const apps = fileURLToPath(new URL('../../../apps/', import.meta.url));
/** What a checkout has that a copy of the source would not: installs, builds, local data. */
const SKIP = new Set([
  'node_modules',
  'build',
  '.next',
  '.svelte-kit',
  '.data',
  '.turbo',
  '.signet',
  'tsconfig.tsbuildinfo',
]);

/** The app's own files: what a copy of its source holds. */
function files(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !SKIP.has(name))
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    });
}

describe.each(['orders', 'mailer', 'ledger', 'usage-sync', 'movies'])(
  'apps/%s, copied out of the repository',
  (app) => {
    it('starts with "copy this folder", and needs nothing of the repository', () => {
      const readme = readFileSync(join(apps, app, 'README.md'), 'utf8');
      expect(readme.split('\n').slice(0, 8).join('\n')).toMatch(/copy this folder/i);
      const root = join(apps, app);
      for (const file of files(root)) {
        if (!/\.(ts|tsx|svelte|json|js|mjs)$/.test(file)) continue;
        const text = readFileSync(file, 'utf8');
        const where = relative(apps, file);
        expect(text, where).not.toMatch(
          /workspace:|@signet\/(conformance|app-harness|test-kit|demo-kit)/,
        );
        // Every relative path (imports, `extends`, …) stays inside the folder.
        for (const [, path] of text.matchAll(/["'](\.\.?\/[^"'\s]*)["']/g)) {
          const target = join(dirname(file), path as string);
          expect(relative(root, target).startsWith('..'), `${where} reaches outside: ${path}`).toBe(
            false,
          );
        }
      }
    });

    it('installs with npm, type-checks, builds, and passes its own smoke test', () => {
      const dir = join(mkdtempSync(join(tmpdir(), `signet-copy-${app}-`)), app);
      cpSync(join(apps, app), dir, {
        recursive: true,
        filter: (source) => !SKIP.has(source.split('/').at(-1) as string),
      });
      const tarballs = inject('tarballs');
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      for (const section of ['dependencies', 'devDependencies']) {
        for (const name of Object.keys(manifest[section] ?? {})) {
          if (name.startsWith('@signet/')) manifest[section][name] = `file:${tarballs[name]}`;
        }
      }
      // The adapters' own dependency on @signet/core, from its tarball too.
      manifest.dependencies['@signet/core'] = `file:${tarballs['@signet/core']}`;
      writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));

      npm(dir, ['install']);
      npm(dir, ['run', 'typecheck']);
      if (manifest.scripts.build) npm(dir, ['run', 'build']);
      const smoke = npm(dir, ['run', 'smoke']);
      expect(smoke).toMatch(/smoke: .*an unsigned call got 401/);
    });
  },
);
