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
export { ErrorCollector, fixtureProcess } from './collector.ts';
export * from './fixture.ts';
export { assertCoreIsExternal } from './packaging.ts';
export { type Harness, type RunningApp, runConformance } from './suite.ts';
