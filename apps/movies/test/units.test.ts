// The pieces without the app: configuration, the catalogue, and the TMDB client's mapping and
// authentication against the bundled origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENRE_IDS, loadCatalogue } from '../origin/catalogue.ts';
import { type Origin, startOrigin } from '../origin/server.ts';
import { readConfig } from '../src/lib/server/config.ts';
import { createTmdb, OriginError } from '../src/lib/server/tmdb.ts';

describe('configuration', () => {
  it('defaults to the bundled origin without a key, and to TMDB with one', () => {
    const local = readConfig({});
    expect(local.tmdb.baseUrl).toBe('http://127.0.0.1:8790');
    expect(local.tmdb.imageBaseUrl).toBe('http://127.0.0.1:8790/t/p');
    expect(local).toMatchObject({
      freshSeconds: 86_400,
      ttlSeconds: 604_800,
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'movies:',
    });
    const tmdb = readConfig({ TMDB_API_KEY: 'k' });
    expect(tmdb.tmdb.baseUrl).toBe('https://api.themoviedb.org');
    expect(tmdb.tmdb.imageBaseUrl).toBe('https://image.tmdb.org/t/p');
    expect(readConfig({ APP_URL: 'https://movies.example/' }).appUrl).toBe(
      'https://movies.example',
    );
  });

  it('refuses durations that make no sense, naming the variable', () => {
    expect(() => readConfig({ MOVIE_FRESH_SECONDS: '-5' })).toThrow(/MOVIE_FRESH_SECONDS/);
    expect(() => readConfig({ MOVIE_FRESH_SECONDS: '1h' })).toThrow(/whole number/);
    expect(() => readConfig({ MOVIE_FRESH_SECONDS: '100', MOVIE_TTL_SECONDS: '50' })).toThrow(
      /longer than/,
    );
  });
});

describe('the bundled catalogue', () => {
  it('holds at least 150 distinct films with complete facts and known genres', () => {
    const films = loadCatalogue();
    expect(films.length).toBeGreaterThanOrEqual(150);
    expect(new Set(films.map((film) => film.title)).size).toBe(films.length);
    for (const film of films) {
      expect(film.year).toBeGreaterThan(1900);
      expect(film.runtime).toBeGreaterThan(60);
      expect(film.cast.length).toBeGreaterThanOrEqual(4);
      expect(film.directors.length).toBeGreaterThanOrEqual(1);
      expect(film.rating).toBeGreaterThan(0);
      expect(film.overview.length).toBeGreaterThan(40);
      for (const genre of film.genres) expect(GENRE_IDS).toHaveProperty([genre]);
    }
  });
});

describe('the TMDB client', () => {
  let origin: Origin;
  beforeAll(async () => {
    origin = await startOrigin({ latencyMs: 0, apiKey: 'v3-key' });
  });
  afterAll(() => origin.close());
  const client = (apiKey: string | undefined, timeoutMs = 2000) =>
    createTmdb({ baseUrl: origin.url, apiKey, imageBaseUrl: `${origin.url}/t/p`, timeoutMs });

  it('maps details with credits into the app movie shape', async () => {
    const movie = await client('v3-key').movie(1);
    expect(movie).toEqual({
      id: 1,
      title: 'The Shawshank Redemption',
      year: 1994,
      rating: 8.7,
      poster: `${origin.url}/t/p/w342/1.svg`,
      runtime: 142,
      genres: ['Drama', 'Crime'],
      overview: expect.stringContaining('Shawshank'),
      cast: expect.arrayContaining([{ name: 'Morgan Freeman', character: '' }]),
      directors: ['Frank Darabont'],
    });
    const poster = await fetch(movie.poster as string);
    expect(poster.headers.get('content-type')).toBe('image/svg+xml');
    expect(await poster.text()).toContain('SHAWSHANK');
  });

  it('sends a v3 key as api_key and a v4 token as a Bearer header', async () => {
    await expect(client(undefined).popular(1)).rejects.toMatchObject({ status: 401 });
    expect((await client('v3-key').popular(2)).page).toBe(2);
    const bearerOrigin = await startOrigin({ latencyMs: 0, apiKey: 'eyJhbGciOi.v4.token' });
    try {
      const bearer = createTmdb({
        baseUrl: bearerOrigin.url,
        apiKey: 'eyJhbGciOi.v4.token',
        imageBaseUrl: '',
        timeoutMs: 2000,
      });
      expect((await bearer.search('alien', 1)).results.map((movie) => movie.title)).toContain(
        'Aliens',
      );
    } finally {
      await bearerOrigin.close();
    }
  });

  it('reports 404, 5xx and timeouts as OriginError with the status (0 for no answer)', async () => {
    await expect(client('v3-key').movie(424242)).rejects.toMatchObject({
      name: 'OriginError',
      status: 404,
    });
    origin.override(2, { status: 502 });
    await expect(client('v3-key').movie(2)).rejects.toMatchObject({ status: 502 });
    origin.override(2, { hang: true });
    const error = await client('v3-key', 200)
      .movie(2)
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(OriginError);
    expect(error).toMatchObject({ status: 0, message: expect.stringContaining('timed out') });
    origin.override(2, undefined);
  });
});
