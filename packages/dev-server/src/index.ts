export { type BrokerEnv, type BrokerEnvOptions, brokerEnv } from './env.ts';
export {
  DEFAULT_PORT,
  DEV_TOKEN,
  type DevServer,
  type DevServerOptions,
  startDevServer,
} from './server.ts';
