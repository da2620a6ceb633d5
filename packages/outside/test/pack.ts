// Once per run: `pnpm pack` of every public package, as they would be published.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));

/** Every package folder whose package.json is not private: what npm would get. */
export const PUBLIC_PACKAGES = readdirSync(packagesDir).filter((name) => {
  try {
    const manifest = JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8'));
    return manifest.private !== true;
  } catch {
    return false;
  }
});

declare module 'vitest' {
  export interface ProvidedContext {
    tarballs: Record<string, string>;
  }
}

export default function setup(project: TestProject) {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const out = mkdtempSync(join(tmpdir(), 'signet-tarballs-'));
  for (const name of PUBLIC_PACKAGES) {
    execFileSync('pnpm', ['pack', '--pack-destination', out], {
      cwd: join(root, 'packages', name),
      stdio: 'ignore',
    });
  }
  const tarballs: Record<string, string> = {};
  for (const file of readdirSync(out)) {
    const name = /^signet-(.+)-\d+\.\d+\.\d+.*\.tgz$/.exec(file)?.[1];
    if (name) tarballs[`@signet/${name}`] = join(out, file);
  }
  project.provide('tarballs', tarballs);
}
