export {
  DEFAULT_PORT,
  DEV_TOKEN,
  type DevServer,
  type DevServerOptions,
  startDevServer,
} from './server.ts';
