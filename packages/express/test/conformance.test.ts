import { runConformance } from '@signet/conformance';
import express from 'express';
import express4 from 'express4';
import { createFixtureApp, type ExpressFactory, listen } from './app.ts';

for (const [name, factory] of [
  ['express 5', express],
  ['express 4', express4 as unknown as ExpressFactory],
] as const) {
  const fixture = createFixtureApp(factory);
  runConformance({
    name,
    start: () => listen(fixture.app),
    errors: async () => [...fixture.errors],
    resetErrors: async () => {
      fixture.errors.length = 0;
    },
  });
}
