// The framework quick starts (Next.js App Router, SvelteKit hook + endpoint, a Nuxt server route,
// a SolidStart API route): in a brand-new app
// of that framework outside the repository (its standard minimal files, as its own starter would
// write them), with the README's install line (Signet from its packed tarballs), the README's
// files and env file, a production build. A message published through `signet dev` with the
// official Client reaches the handler; an unsigned call gets a 401 problem.
import { type DevServer, startDevServer } from '@signet/dev-server';
import { eventually } from '@signet/test-kit';
import { Client } from '@upstash/qstash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answers,
  envFile,
  freePort,
  newProject,
  npm,
  type Running,
  run,
  start,
  withTarballs,
  write,
} from './project.ts';
import { readme } from './readme.ts';

let broker: DevServer;
beforeAll(async () => {
  broker = await startDevServer({ port: 0, memory: true, log: () => {} });
});
afterAll(() => broker?.close());

const keys = () => ({
  QSTASH_CURRENT_SIGNING_KEY: broker.keys.current,
  QSTASH_NEXT_SIGNING_KEY: broker.keys.next,
});

/** What `create-next-app` (TypeScript, App Router) and `npx sv create` (minimal, adapter-node) start from. */
const STARTERS = {
  next: {
    packages: [
      'next@16',
      'react@19',
      'react-dom@19',
      'typescript@6',
      '@types/react@19',
      '@types/node@24',
    ],
    files: {},
    build: ['node_modules/next/dist/bin/next', 'build'],
    serve: (port: number) => ['node_modules/next/dist/bin/next', 'start', '-p', String(port)],
  },
  sveltekit: {
    packages: [
      '@sveltejs/kit@3',
      '@sveltejs/adapter-node@6',
      '@sveltejs/vite-plugin-svelte@7',
      'svelte@5',
      'vite@8',
      'typescript@6',
    ],
    files: {
      'vite.config.ts': `import adapter from '@sveltejs/adapter-node';\nimport { sveltekit } from '@sveltejs/kit/vite';\nimport { defineConfig } from 'vite';\n\nexport default defineConfig({ plugins: [sveltekit({ adapter: adapter() })] });\n`,
      'tsconfig.json': `{ "extends": "$app/tsconfig" }\n`,
      'src/app.html': `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">%sveltekit.head%</head><body>%sveltekit.body%</body></html>\n`,
    },
    build: ['node_modules/vite/bin/vite.js', 'build'],
    serve: () => ['--env-file=.env', 'build'],
  },
  nuxt: {
    packages: ['nuxt@4', 'vue@3', 'typescript@6'],
    files: {
      'nuxt.config.ts': `export default defineNuxtConfig({ compatibilityDate: '2026-11-01', devtools: { enabled: false } });\n`,
      'app/app.vue': `<template>\n  <NuxtWelcome />\n</template>\n`,
    },
    build: ['node_modules/nuxt/bin/nuxt.mjs', 'build'],
    serve: () => ['--env-file=.env', '.output/server/index.mjs'],
  },
  solidstart: {
    packages: [
      '@solidjs/start@2',
      '@solidjs/router@1',
      'solid-js@1',
      'vite@8',
      'nitro@3.0.260903-beta',
      'typescript@6',
    ],
    files: {
      'vite.config.ts': `import { solidStart } from '@solidjs/start/config';\nimport { nitro } from 'nitro/vite';\nimport { defineConfig } from 'vite';\n\nexport default defineConfig({ plugins: [solidStart(), nitro()] });\n`,
      'src/app.tsx': `import { Router } from '@solidjs/router';\nimport { FileRoutes } from '@solidjs/start/router';\nimport { Suspense } from 'solid-js';\n\nexport default function App() {\n  return <Router root={(props) => <Suspense>{props.children}</Suspense>}><FileRoutes /></Router>;\n}\n`,
      'src/entry-client.tsx': `// @refresh reload\nimport { mount, StartClient } from '@solidjs/start/client';\n\nmount(() => <StartClient />, document.getElementById('app')!);\n`,
      'src/entry-server.tsx': `// @refresh reload\nimport { createHandler, StartServer } from '@solidjs/start/server';\n\nexport default createHandler(() => (\n  <StartServer document={({ assets, children, scripts }) => (\n    <html lang="en"><head><meta charset="utf-8" />{assets}</head><body><div id="app">{children}</div>{scripts}</body></html>\n  )} />\n));\n`,
    },
    build: ['node_modules/vite/bin/vite.js', 'build'],
    serve: () => ['--env-file=.env', '.output/server/index.mjs'],
  },
} as const;

describe.each([
  ['next', 'packages/next/README.md', '.env.local', '/api/qstash', { id: 'job_1' }],
  ['sveltekit', 'packages/sveltekit/README.md', '.env', '/api/refresh', { id: 7 }],
  ['nuxt', 'packages/h3/README.md', '.env', '/api/order-placed', { orderId: 'o_1' }],
  ['solidstart', 'packages/solidstart/README.md', '.env', '/api/order-placed', { orderId: 'o_1' }],
] as const)(
  'the %s quick start (%s), in a brand-new app',
  (framework, path, envName, route, body) => {
    const quickStart = readme(path);
    const starter = STARTERS[framework];
    let server: Running;
    let origin: string;

    beforeAll(async () => {
      const dir = newProject(framework);
      npm(dir, ['pkg', 'set', 'type=module']);
      npm(dir, ['install', ...starter.packages]);
      npm(dir, ['install', ...withTarballs(quickStart.install)]);
      const port = await freePort();
      origin = `http://localhost:${port}`;
      const { [envName]: env, ...code } = quickStart.files;
      expect(env, `the README's ${envName} block`).toBeDefined();
      write(dir, {
        ...starter.files,
        ...code,
        [envName]: envFile(env as string, { ...keys(), SIGNET_ORIGIN: origin }),
      });
      run(dir, process.execPath, [...starter.build], {
        // Vitest runs with NODE_ENV=test; a production build is what the README describes.
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        NUXT_TELEMETRY_DISABLED: '1',
      });
      server = await start(dir, process.execPath, [...starter.serve(port)], {
        env: { PORT: String(port), NEXT_TELEMETRY_DISABLED: '1' },
        ready: answers(`http://127.0.0.1:${port}/`),
        timeoutMs: 120_000,
      });
    });
    afterAll(() => server?.stop());

    it('lets in a message published through signet dev with the official Client', async () => {
      const qstash = new Client({ baseUrl: broker.url, token: broker.token });
      const { messageId } = await qstash.publishJSON({ url: `${origin}${route}`, body });
      await eventually(`the handler to log ${messageId}`, () =>
        server.output().includes(`message ${messageId}`),
      );
    });

    it('refuses an unsigned call with a 401 problem', async () => {
      const response = await fetch(`${origin}${route}`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    });
  },
);
