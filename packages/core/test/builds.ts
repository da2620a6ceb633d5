// The suites run against what ships: both built entry points, not the sources.
import * as nodeBuild from '../dist/index.node.js';
import * as webBuild from '../dist/index.web.js';

export type Build = typeof nodeBuild;

export const builds: ReadonlyArray<readonly [name: 'node' | 'web', build: Build]> = [
  ['node', nodeBuild],
  ['web', webBuild],
];

// What adapters import: `@signet/core/adapter`.
export * as adapter from '../dist/adapter.js';
export { nodeBuild, webBuild };
