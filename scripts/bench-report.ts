// `pnpm bench`, last step: every benchmark wrote its section (rows of per-round samples, the
// ratios it is about) to docs/bench/results; this renders them as one report, docs/bench/README.md,
// and one chart of the headline ratios, docs/bench/ratios.svg. Usage:
//   node scripts/bench-report.ts [results dir] [--clear]
// `--clear` empties the results directory instead (run before the benchmarks, so the report only
// shows one run). The output goes beside the results directory's parent (docs/bench for the default).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  benchResultsDir,
  type RecordedSection,
  roundRatios,
  summary,
} from '@signet/test-kit/bench-record';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const resultsDir = resolve(root, args.find((arg) => !arg.startsWith('--')) ?? benchResultsDir());
const outDir = dirname(resultsDir);

if (args.includes('--clear')) {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  process.exit(0);
}

const sections: RecordedSection[] = readdirSync(resultsDir)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => JSON.parse(readFileSync(join(resultsDir, name), 'utf8')) as RecordedSection);
if (sections.length === 0) throw new Error(`no benchmark results in ${resultsDir}`);

const figure = (value: number) =>
  value >= 100
    ? Math.round(value).toLocaleString('en-US')
    : value >= 10
      ? value.toFixed(1)
      : value.toFixed(2);
const times = (value: number) => `${value.toFixed(2)}×`;

interface ChartBar {
  section: string;
  label: string;
  median: number;
  low: number;
  high: number;
}

function sectionRatios(section: RecordedSection) {
  return section.ratios.map((ratio) => {
    const row = (label: string) =>
      section.rows.find((r) => r.label === label && r.group === ratio.group);
    const of = row(ratio.of)?.samples ?? [];
    const to = row(ratio.to)?.samples ?? [];
    return { ratio, ...summary(roundRatios(of, to)), rounds: Math.min(of.length, to.length) };
  });
}

/** A markdown table with padded columns (as Biome formats it); columns from `firstFigure` on are right-aligned. */
function markdownTable(header: string[], rows: string[][], firstFigure: number): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) =>
    Math.max(3, ...all.map((row) => (row[column] as string).length)),
  );
  const pad = (cell: string, column: number) =>
    column >= firstFigure
      ? cell.padStart(widths[column] as number)
      : cell.padEnd(widths[column] as number);
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = widths.map((width, column) =>
    column >= firstFigure ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
  );
  return [line(header), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
}

const commit = (() => {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root })
      .toString()
      .trim();
    // The code measured may be the working tree, not the commit: say so.
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages', 'apps'], {
      cwd: root,
    })
      .toString()
      .trim();
    return dirty ? `${head} with uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
})();
const first = sections[0] as RecordedSection;
const dates = sections.map((s) => s.recordedAt).sort();

const bars: ChartBar[] = [];
const parts: string[] = [
  '# Signet benchmarks',
  '',
  `Written by \`pnpm bench\` (${dates[0]?.slice(0, 16).replace('T', ' ')}–${dates.at(-1)?.slice(11, 16)} UTC, commit ${commit}) on ${first.machine}, Node ${first.node}. Do not edit: run \`pnpm bench\` again.`,
  '',
  'How to read it: every benchmark runs its cases in interleaved rounds, so that drift in the',
  "machine's load hits every case alike. A ratio is taken round by round (both sides measured",
  'in the same round) and given as its median with the lowest and highest round beside it;',
  'that spread is the noise. Absolute figures depend on the machine and are only there to show',
  'the scale: compare ratios.',
  '',
  '![Headline ratios, median and spread of the rounds](./ratios.svg)',
  '',
  ...sections.map((s) => `- [${s.title}](#${s.id})`),
];

for (const section of sections) {
  const ratios = sectionRatios(section);
  const grouped = section.rows.some((row) => row.group);
  parts.push(
    '',
    `<a id="${section.id}"></a>`,
    '',
    `## ${section.title}`,
    '',
    section.conditions,
    '',
  );
  parts.push(
    markdownTable(
      [...(grouped ? [''] : []), '', `${section.unit} (median)`, 'lowest–highest round'],
      section.rows.map((row) => {
        const s = summary(row.samples);
        return [
          ...(grouped ? [row.group ?? ''] : []),
          row.label,
          figure(s.median),
          `${figure(s.low)}–${figure(s.high)}`,
        ];
      }),
      grouped ? 2 : 1,
    ),
  );
  if (ratios.length > 0) {
    parts.push(
      '',
      markdownTable(
        [...(grouped ? [''] : []), 'ratio', 'median', 'lowest–highest round'],
        ratios.map(({ ratio, median, low, high }) => [
          ...(grouped ? [ratio.group ?? ''] : []),
          ratio.label,
          times(median),
          `${times(low)}–${times(high)}`,
        ]),
        grouped ? 2 : 1,
      ),
    );
  }
  for (const note of section.notes ?? []) parts.push('', note);
  for (const { ratio, median, low, high } of ratios) {
    if (ratio.chart) {
      bars.push({
        section: section.title,
        label: `${ratio.group ? `${ratio.group}: ` : ''}${ratio.label}`,
        median,
        low,
        high,
      });
    }
  }
}

writeFileSync(join(outDir, 'README.md'), `${parts.join('\n')}\n`);
writeFileSync(join(outDir, 'ratios.svg'), chart(bars));
console.log(
  `bench report: ${relative(root, join(outDir, 'README.md'))} and ratios.svg (${sections.length} sections, ${bars.length} charted ratios)`,
);

/** Horizontal bars on a log scale around 1×, a whisker for each ratio's spread. */
function chart(items: ChartBar[]): string {
  const labelWidth = 430;
  const plotWidth = 420;
  const rowHeight = 20;
  const headingHeight = 26;
  const top = 34;
  const values = items.flatMap((bar) => [bar.low, bar.high, bar.median]);
  const minLog = Math.floor(Math.log2(Math.min(0.5, ...values)));
  const maxLog = Math.ceil(Math.log2(Math.max(2, ...values)));
  const x = (value: number) =>
    labelWidth + ((Math.log2(value) - minLog) / (maxLog - minLog)) * plotWidth;
  const escapeXml = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const out: string[] = [];
  let y = top;
  let current = '';
  for (const bar of items) {
    if (bar.section !== current) {
      current = bar.section;
      y += 8;
      out.push(`<text x="8" y="${y + 14}" class="heading">${escapeXml(bar.section)}</text>`);
      y += headingHeight - 8;
    }
    const mid = y + rowHeight / 2;
    const from = x(1);
    const to = x(bar.median);
    out.push(
      `<text x="${labelWidth - 8}" y="${mid + 4}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${Math.min(from, to).toFixed(1)}" y="${y + 4}" width="${Math.abs(to - from).toFixed(1)}" height="${rowHeight - 8}" class="${bar.median >= 1 ? 'up' : 'down'}"/>`,
      `<line x1="${x(bar.low).toFixed(1)}" x2="${x(bar.high).toFixed(1)}" y1="${mid}" y2="${mid}" class="spread"/>`,
      `<text x="${(Math.max(from, to, x(bar.high)) + 6).toFixed(1)}" y="${mid + 4}">${times(bar.median)}</text>`,
    );
    y += rowHeight;
  }
  const height = y + 16;
  const ticks: string[] = [];
  for (let power = minLog; power <= maxLog; power++) {
    const value = 2 ** power;
    const tx = x(value).toFixed(1);
    ticks.push(
      `<line x1="${tx}" x2="${tx}" y1="${top - 6}" y2="${height - 12}" class="${power === 0 ? 'one' : 'grid'}"/>`,
      `<text x="${tx}" y="${top - 12}" text-anchor="middle" class="tick">${value >= 1 ? value : `1/${1 / value}`}×</text>`,
    );
  }
  const width = labelWidth + plotWidth + 70;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">
<title>Signet benchmark ratios: medians of interleaved rounds, with the lowest and highest round (log scale, 1× = level)</title>
<style>
  text { fill: #1f2328; }
  .heading { font-weight: 600; font-size: 13px; }
  .tick { fill: #59636e; font-size: 11px; }
  .grid { stroke: #d1d9e0; stroke-width: 1; }
  .one { stroke: #59636e; stroke-width: 1.5; }
  .up { fill: #2da44e; }
  .down { fill: #bf8700; }
  .spread { stroke: #1f2328; stroke-width: 1.5; }
  @media (prefers-color-scheme: dark) {
    text { fill: #e6edf3; }
    .tick { fill: #9198a1; }
    .grid { stroke: #3d444d; }
    .one { stroke: #9198a1; }
    .spread { stroke: #e6edf3; }
  }
</style>
<rect width="100%" height="100%" fill="none"/>
${ticks.join('\n')}
${out.join('\n')}
</svg>
`;
}
