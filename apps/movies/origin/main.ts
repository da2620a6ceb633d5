// `pnpm origin`: the bundled TMDB-shaped origin on its own (`pnpm dev` starts it for you).
import { startOrigin } from './server.ts';

const port = Number(process.env.ORIGIN_PORT ?? 8790);
const latencyMs = Number(process.env.ORIGIN_LATENCY_MS ?? 400);
const origin = await startOrigin({ port, latencyMs });
console.log(
  `movies origin: ${origin.films.length} films at ${origin.url} (latency ${latencyMs} ms)`,
);
const stop = () => origin.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
