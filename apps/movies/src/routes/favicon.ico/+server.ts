import type { RequestHandler } from './$types';

// Browsers (and some tools) ask for /favicon.ico whatever the page links: answer with the icon
// src/app.html links.
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#f5c518"/></svg>`;

export const GET: RequestHandler = () =>
  new Response(ICON, {
    headers: { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' },
  });
