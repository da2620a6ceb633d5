// A README's quick start, read the way a person reads it: the `npm install` line, and the code
// blocks marked with the file they belong in (```ts file=server.mts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Readme {
  /** Packages of the first `npm install` line (without flags). */
  install: string[];
  /** Whether that line installs as devDependencies (-D). */
  dev: boolean;
  /** Blocks with a file name, by file name. */
  files: Record<string, string>;
  text: string;
}

export function readme(relative: string): Readme {
  const text = readFileSync(
    fileURLToPath(new URL(`../../../${relative}`, import.meta.url)),
    'utf8',
  );
  const files: Record<string, string> = {};
  for (const match of text.matchAll(/^```\w+ file=(\S+)\n([\s\S]*?)^```$/gm)) {
    files[match[1] as string] = match[2] as string;
  }
  const line = /^npm install (.+)$/m.exec(text)?.[1] ?? '';
  const words = line.split(/\s+/).filter(Boolean);
  return {
    install: words.filter((word) => !word.startsWith('-')),
    dev: words.includes('-D'),
    files,
    text,
  };
}
