#!/usr/bin/env node
// Validates every pending changeset without git: `changeset status` needs the base branch
// checked out locally, which a CI clone on another ref or a detached HEAD does not have, and it
// is the frontmatter (which formatters have mangled before) that `changeset version` chokes on.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bumps = new Set(['patch', 'minor', 'major']);

function workspacePackages() {
  const names = new Set();
  for (const folder of ['packages', 'apps']) {
    let entries = [];
    try {
      entries = readdirSync(join(root, folder), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      try {
        const manifest = JSON.parse(
          readFileSync(join(root, folder, entry.name, 'package.json'), 'utf8'),
        );
        if (!manifest.private) names.add(manifest.name);
      } catch {}
    }
  }
  return names;
}

function check(file, text, publishable) {
  const problems = [];
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (!match) return [`${file}: frontmatter must open and close with a line of three dashes`];
  const [, head, summary] = match;
  const lines = head.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) problems.push(`${file}: names no package`);
  for (const line of lines) {
    const release = /^\s*(['"]?)(@?[\w./-]+)\1\s*:\s*(\w+)\s*$/.exec(line);
    if (!release) {
      problems.push(
        `${file}: cannot read "${line}" (expected "'@signet/name': patch|minor|major")`,
      );
      continue;
    }
    const [, , name, bump] = release;
    if (!publishable.has(name))
      problems.push(`${file}: ${name} is not a publishable workspace package`);
    if (!bumps.has(bump)) problems.push(`${file}: ${bump} is not patch, minor or major`);
  }
  if (summary.trim() === '') problems.push(`${file}: has no summary`);
  return problems;
}

const folder = join(root, '.changeset');
const publishable = workspacePackages();
const files = readdirSync(folder).filter((name) => name.endsWith('.md') && name !== 'README.md');
const problems = files.flatMap((name) =>
  check(name, readFileSync(join(folder, name), 'utf8'), publishable),
);
if (problems.length > 0) {
  for (const problem of problems) console.error(`changeset: ${problem}`);
  process.exit(1);
}
console.log(`changesets: ${files.length} valid`);
