// A TMDB v3 client for the three calls the app makes. The same code talks to api.themoviedb.org
// and to the bundled origin; responses are checked before anything is cached.
import { z } from 'zod';
import type { Movie, MoviePage, MovieSummary } from '../movie.ts';
import type { Config } from './config.ts';

/** The origin did not give us a movie: `status` is its HTTP status, or 0 for no answer. */
export class OriginError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'OriginError';
    this.status = status;
  }
}

const yearOf = (date: string | null | undefined) => {
  const year = Number.parseInt(date ?? '', 10);
  return Number.isFinite(year) ? year : null;
};

const Summary = z.object({
  id: z.number().int(),
  title: z.string(),
  release_date: z.string().nullish(),
  poster_path: z.string().nullish(),
  vote_average: z.number().nullish(),
});

const Page = z.object({
  page: z.number().int(),
  total_pages: z.number().int(),
  total_results: z.number().int(),
  results: z.array(Summary),
});

const Details = Summary.extend({
  runtime: z.number().nullish(),
  overview: z.string().nullish(),
  genres: z.array(z.object({ name: z.string() })).default([]),
  credits: z
    .object({
      cast: z.array(z.object({ name: z.string(), character: z.string().nullish() })).default([]),
      crew: z.array(z.object({ name: z.string(), job: z.string().nullish() })).default([]),
    })
    .default({ cast: [], crew: [] }),
});

export interface Tmdb {
  movie(id: number): Promise<Movie>;
  popular(page: number): Promise<MoviePage>;
  search(query: string, page: number): Promise<MoviePage>;
}

export function createTmdb(config: Config['tmdb'], fetcher: typeof fetch = fetch): Tmdb {
  // TMDB takes a v3 key as `api_key` and a v4 read token (a JWT) as a Bearer header.
  const bearer = config.apiKey?.startsWith('eyJ') ? config.apiKey : undefined;

  async function get<T>(path: string, schema: z.ZodType<T>, params: Record<string, string> = {}) {
    const url = new URL(`/3${path}`, config.baseUrl);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    if (config.apiKey && !bearer) url.searchParams.set('api_key', config.apiKey);
    let response: Response;
    try {
      response = await fetcher(url, {
        headers: {
          accept: 'application/json',
          ...(bearer && { authorization: `Bearer ${bearer}` }),
        },
        signal: AbortSignal.timeout(config.timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'is unreachable';
      throw new OriginError(0, `the movie database ${reason} (${url.origin})`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new OriginError(
        response.status,
        `the movie database answered ${response.status} for ${path}`,
      );
    }
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success)
      throw new OriginError(502, `the movie database sent an unexpected ${path} response`);
    return parsed.data;
  }

  const poster = (path: string | null | undefined) =>
    path ? `${config.imageBaseUrl}/w342${path}` : null;

  const summary = (movie: z.infer<typeof Summary>): MovieSummary => ({
    id: movie.id,
    title: movie.title,
    year: yearOf(movie.release_date),
    rating: Math.round((movie.vote_average ?? 0) * 10) / 10,
    poster: poster(movie.poster_path),
  });

  const page = (data: z.infer<typeof Page>): MoviePage => ({
    page: data.page,
    totalPages: Math.min(data.total_pages, 500),
    totalResults: data.total_results,
    results: data.results.map(summary),
  });

  return {
    async movie(id) {
      const data = await get(`/movie/${id}`, Details, { append_to_response: 'credits' });
      return {
        ...summary(data),
        runtime: data.runtime || null,
        genres: data.genres.map((genre) => genre.name),
        overview: data.overview ?? '',
        cast: data.credits.cast
          .slice(0, 8)
          .map((member) => ({ name: member.name, character: member.character ?? '' })),
        directors: data.credits.crew
          .filter((member) => member.job === 'Director')
          .map((member) => member.name),
      };
    },
    async popular(pageNumber) {
      return page(await get('/movie/popular', Page, { page: String(pageNumber) }));
    },
    async search(query, pageNumber) {
      return page(
        await get('/search/movie', Page, {
          query,
          page: String(pageNumber),
          include_adult: 'false',
        }),
      );
    },
  };
}
