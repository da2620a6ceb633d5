// A small TMDB-shaped origin over the bundled catalogue, with artificial latency so a cache
// in front of it has something to save. It serves the three endpoints the app uses, in TMDB's
// v3 shapes, plus generated posters; tests steer it (fail, vanish, change a film) in process.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Film, GENRE_IDS, loadCatalogue } from './catalogue.ts';
import { posterSvg } from './poster.ts';

export interface OriginOptions {
  port?: number;
  host?: string;
  /** Delay before every API answer (not posters). Default 400 ms. */
  latencyMs?: number;
  /** When set, requests must carry it as `api_key` or a Bearer token, as TMDB's do. */
  apiKey?: string;
  films?: Film[];
}

/** What a test can make the origin do for one film id. */
export type Override =
  | { status: number }
  | { hang: true }
  | { patch: Partial<Omit<Film, 'id'>> }
  /** Answer normally, but not before `gate` settles. */
  | { gate: Promise<unknown> };

export interface Origin {
  url: string;
  films: Film[];
  /** API requests answered so far, by path (`/3/movie/12`). */
  hits: Map<string, number>;
  override(id: number, override: Override | undefined): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const PAGE_SIZE = 20;
const IMAGE_PATH = (id: number) => `/${id}.svg`;

function summary(film: Film) {
  return {
    id: film.id,
    title: film.title,
    original_title: film.title,
    release_date: `${film.year}-01-01`,
    overview: film.overview,
    poster_path: IMAGE_PATH(film.id),
    backdrop_path: null,
    genre_ids: film.genres.map((genre) => GENRE_IDS[genre]),
    vote_average: film.rating,
    vote_count: 1000,
    popularity: 1000 - film.id,
    adult: false,
    original_language: 'en',
    video: false,
  };
}

function details(film: Film) {
  const { genre_ids: _, ...rest } = summary(film);
  return {
    ...rest,
    runtime: film.runtime,
    genres: film.genres.map((name) => ({ id: GENRE_IDS[name], name })),
    status: 'Released',
    tagline: '',
    credits: {
      id: film.id,
      cast: film.cast.map((name, order) => ({
        id: film.id * 100 + order,
        name,
        character: '',
        order,
        known_for_department: 'Acting',
      })),
      crew: film.directors.map((name, index) => ({
        id: film.id * 100 + 50 + index,
        name,
        job: 'Director',
        department: 'Directing',
      })),
    },
  };
}

function paginate<T>(items: T[], pageParam: string | null) {
  const page = Math.max(1, Math.min(500, Number.parseInt(pageParam ?? '1', 10) || 1));
  return {
    page,
    results: items.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    total_pages: Math.max(1, Math.ceil(items.length / PAGE_SIZE)),
    total_results: items.length,
  };
}

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const notFound = {
  success: false,
  status_code: 34,
  status_message: 'The resource you requested could not be found.',
};

export async function startOrigin(options: OriginOptions = {}): Promise<Origin> {
  const films = options.films ?? loadCatalogue();
  const byId = new Map(films.map((film) => [film.id, film]));
  const overrides = new Map<number, Override>();
  const hits = new Map<string, number>();
  let latency = options.latencyMs ?? 400;
  const hanging = new Set<ServerResponse>();

  const film = (id: number): Film | undefined => {
    const base = byId.get(id);
    const override = overrides.get(id);
    return base && override && 'patch' in override ? { ...base, ...override.patch } : base;
  };

  const authorised = (req: IncomingMessage, url: URL) =>
    !options.apiKey ||
    url.searchParams.get('api_key') === options.apiKey ||
    req.headers.authorization === `Bearer ${options.apiKey}`;

  async function api(req: IncomingMessage, res: ServerResponse, url: URL) {
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    if (!authorised(req, url))
      return send(res, 401, {
        success: false,
        status_code: 7,
        status_message: 'Invalid API key: You must be granted a valid key.',
      });
    if (url.pathname === '/3/movie/popular')
      return send(
        res,
        200,
        paginate(
          films.map((f) => summary(film(f.id) ?? f)),
          url.searchParams.get('page'),
        ),
      );
    if (url.pathname === '/3/search/movie') {
      const query = fold(url.searchParams.get('query') ?? '').trim();
      const found = query ? films.filter((f) => fold(f.title).includes(query)) : [];
      return send(res, 200, paginate(found.map(summary), url.searchParams.get('page')));
    }
    const match = /^\/3\/movie\/(\d+)$/.exec(url.pathname);
    if (!match) return send(res, 404, notFound);
    const id = Number(match[1]);
    const override = overrides.get(id);
    if (override && 'hang' in override) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (override && 'gate' in override) await override.gate.catch(() => {});
    if (override && 'status' in override)
      return send(res, override.status, {
        success: false,
        status_message: `status ${override.status}`,
      });
    const found = film(id);
    return found ? send(res, 200, details(found)) : send(res, 404, notFound);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://origin');
    if (req.method !== 'GET') return send(res, 405, { success: false, status_message: 'GET only' });
    const poster = /^\/t\/p\/[a-z0-9]+\/(\d+)\.svg$/.exec(url.pathname);
    if (poster) {
      const found = film(Number(poster[1]));
      if (!found) return send(res, 404, 'not found', 'text/plain');
      res.setHeader('cache-control', 'public, max-age=86400');
      return send(res, 200, posterSvg(found), 'image/svg+xml');
    }
    if (url.pathname.startsWith('/3/')) {
      api(req, res, url).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { success: false, status_message: String(error) });
      });
      return;
    }
    send(res, 404, notFound);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    films,
    hits,
    override(id, override) {
      if (override) overrides.set(id, override);
      else overrides.delete(id);
    },
    setLatency(ms) {
      latency = ms;
    },
    close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
