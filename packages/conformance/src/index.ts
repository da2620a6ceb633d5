export { BENCH_BODY, floorVerifier } from '@signet/test-kit';
export {
  type BenchOptions,
  type BenchRoute,
  floorVerify,
  runHttpBench,
} from './bench.ts';
export {
  httpTransport,
  makeToken,
  type Reply,
  rawRequest,
  type TokenOptions,
  type Transport,
  targetRequest,
} from './client.ts';
export * from './fixture.ts';
export { assertCoreIsExternal } from './packaging.ts';
export {
  type AppProcess,
  ErrorCollector,
  fixtureProcess,
  freePort,
  startApp,
} from './process-app.ts';
export { type Harness, type RunningApp, runConformance } from './suite.ts';
