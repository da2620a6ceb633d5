// Builds the app (`next build`) once per run, unless the build is newer than every source.
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './support.ts';

export default function setup() {
  buildIfStale({
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    output: '.next/BUILD_ID',
    sources: ['app', 'lib', 'instrumentation.ts', 'next.config.ts', 'package.json'],
    bin: ['next', 'dist/bin/next'],
    args: ['build'],
    env: { NEXT_TELEMETRY_DISABLED: '1' },
  });
}
