// The fixture app on each Next the peer range (`next >=14`) is tested with: the newest (test/app,
// whose sources the others copy), 15, and the lowest the range allows.
type EntryPoint = 'node' | 'edge' | 'pages';

export const NEXT_FIXTURES: ReadonlyArray<{
  version: string;
  dir: string;
  /**
   * How handlers see a request URL, where not as Next 15 and later present it everywhere (the
   * query re-serialised, see src/url.ts).
   */
  spelling?: Partial<Record<EntryPoint, (url: string) => string>>;
}> = [
  { version: '16', dir: 'app' },
  { version: '15', dir: 'app-next15' },
  // Next 14 re-serialises the query on the Edge runtime only. Its App Router on Node drops an
  // empty query (`/echo?`); its Pages Router keeps even that.
  {
    version: '14.0.0',
    dir: 'app-next14',
    spelling: { node: (url) => url.replace(/\?$/, ''), pages: (url) => url },
  },
];

/** What test/app holds that the other versions' apps copy (their own config stays theirs). */
export const SHARED_SOURCES = ['app', 'pages', 'lib'];
