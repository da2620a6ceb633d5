// Reads catalogue.txt into TMDB-shaped records. Ids are line numbers (1 = most popular), so
// appending films keeps every existing id stable.
import { readFileSync } from 'node:fs';

export interface Film {
  id: number;
  title: string;
  year: number;
  runtime: number;
  genres: string[];
  directors: string[];
  cast: string[];
  rating: number;
  overview: string;
}

// TMDB's own genre ids, so genre_ids in lists mean the same as against the real API.
export const GENRE_IDS: Readonly<Record<string, number>> = {
  Action: 28,
  Adventure: 12,
  Animation: 16,
  Comedy: 35,
  Crime: 80,
  Documentary: 99,
  Drama: 18,
  Family: 10751,
  Fantasy: 14,
  History: 36,
  Horror: 27,
  Music: 10402,
  Mystery: 9648,
  Romance: 10749,
  'Science Fiction': 878,
  Thriller: 53,
  War: 10752,
  Western: 37,
};

export function parseCatalogue(text: string): Film[] {
  const films: Film[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [title, year, runtime, genres, directors, cast, rating, overview] = line.split('|');
    if (overview === undefined) throw new Error(`catalogue: cannot read line "${line}"`);
    const genreList = (genres ?? '').split(',');
    for (const genre of genreList) {
      if (!(genre in GENRE_IDS))
        throw new Error(`catalogue: unknown genre "${genre}" for ${title}`);
    }
    films.push({
      id: films.length + 1,
      title: title as string,
      year: Number(year),
      runtime: Number(runtime),
      genres: genreList,
      directors: (directors ?? '').split(', '),
      cast: (cast ?? '').split(','),
      rating: Number(rating),
      overview,
    });
  }
  return films;
}

export function loadCatalogue(): Film[] {
  return parseCatalogue(readFileSync(new URL('./catalogue.txt', import.meta.url), 'utf8'));
}
