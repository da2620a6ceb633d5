// Builds the app (adapter-node) once per run, unless the build is newer than every source.
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './support.ts';

export default function setup() {
  buildIfStale({
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    output: 'build/index.js',
    sources: ['src', 'vite.config.ts', 'package.json'],
    bin: ['vite', 'bin/vite.js'],
    args: ['build'],
  });
}
