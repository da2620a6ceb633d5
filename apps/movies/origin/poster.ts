// Generated posters: an SVG per film, coloured from its id, so the demo needs no images.
import type { Film } from './catalogue.ts';

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && `${line} ${word}`.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.slice(0, 5);
}

export function posterSvg(film: Film): string {
  const hue = (film.id * 137) % 360;
  const title = wrap(film.title.toUpperCase(), 14)
    .map(
      (line, index) =>
        `<text x="20" y="${250 + index * 30}" font-size="24" font-weight="700">${escapeXml(line)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 450" width="300" height="450">
<defs><linearGradient id="g" x1="0" y1="0" x2="0.6" y2="1">
<stop offset="0" stop-color="hsl(${hue} 55% 42%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360} 60% 14%)"/>
</linearGradient></defs>
<rect width="300" height="450" fill="url(#g)"/>
<circle cx="230" cy="110" r="${60 + (film.id % 5) * 12}" fill="hsl(${(hue + 180) % 360} 70% 70% / 0.25)"/>
<g fill="#fff" font-family="system-ui, sans-serif">${title}
<text x="20" y="420" font-size="18" opacity="0.8">${film.year} · ${escapeXml(film.directors[0] ?? '')}</text></g>
</svg>`;
}
