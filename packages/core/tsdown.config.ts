import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: {
    'index.node': 'src/index.node.ts',
    'index.web': 'src/index.web.ts',
    testing: 'src/testing.ts',
    adapter: 'src/adapter/index.ts',
  },
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  sourcemap: true,
  clean: true,
  // The Web build must not pull in Node built-ins; the Node build imports node:crypto itself.
  deps: { neverBundle: [/^node:/] },
});
