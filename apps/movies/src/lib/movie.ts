// The app's own shapes, whatever the origin: the TMDB client maps into these, the cache
// stores them, the pages render them.
export interface CastMember {
  name: string;
  character: string;
}

export interface MovieSummary {
  id: number;
  title: string;
  year: number | null;
  rating: number;
  poster: string | null;
}

export interface Movie extends MovieSummary {
  runtime: number | null;
  genres: string[];
  overview: string;
  cast: CastMember[];
  directors: string[];
}

export interface MoviePage {
  page: number;
  totalPages: number;
  totalResults: number;
  results: MovieSummary[];
}

/** How a read was served: from a fresh entry, a stale one (refresh queued), the origin, or the origin because Redis is down. */
export type CacheOutcome = 'hit' | 'stale' | 'miss' | 'bypass';

export function ratingTone(rating: number): 'high' | 'mid' | 'low' | 'none' {
  if (!rating) return 'none';
  if (rating >= 7.5) return 'high';
  if (rating >= 6) return 'mid';
  return 'low';
}

export function formatRuntime(minutes: number | null): string {
  if (!minutes) return '';
  const hours = Math.floor(minutes / 60);
  return hours ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}
