// What every benchmark hands to the report (`pnpm bench` → scripts/bench-report.ts): its rows,
// one sample per interleaved round, and the ratios it is about. A ratio is taken round by round
// (both sides of round i were measured minutes apart at most, under the same machine load), and
// the report gives its median with the lowest and highest round: the spread is the noise.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface BenchRow {
  /** Rows with the same group are compared with each other (one framework setup, one size…). */
  group?: string;
  label: string;
  /** One sample per round, in round order. */
  samples: number[];
}

export interface BenchRatio {
  group?: string;
  /** Shown in the report, e.g. "Signet ÷ official". */
  label: string;
  /** Row labels (in the same group): the ratio is `of` ÷ `to`, round by round. */
  of: string;
  to: string;
  /** Also drawn in the chart. */
  chart?: boolean;
}

export interface BenchSection {
  /** File name and order key, e.g. "1-core-verify". */
  id: string;
  title: string;
  /** What the figures hold under: body, concurrency, rounds, runtime, pinning. */
  conditions: string;
  /** Unit of the rows' samples, e.g. "ops/s". */
  unit: string;
  rows: BenchRow[];
  ratios: BenchRatio[];
  notes?: string[];
}

export interface RecordedSection extends BenchSection {
  machine: string;
  node: string;
  recordedAt: string;
}

function repositoryRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
  return dir;
}

/** Where results go: `BENCH_OUT` (relative to the repository root), else docs/bench/results. */
export function benchResultsDir(): string {
  const root = repositoryRoot(process.cwd());
  const out = process.env.BENCH_OUT;
  if (!out) return join(root, 'docs', 'bench', 'results');
  return isAbsolute(out) ? out : resolve(root, out);
}

export function machineDescription(): string {
  const list = cpus();
  return `${list.length} × ${list[0]?.model.trim() ?? 'unknown CPU'}, ${process.platform} ${process.arch}`;
}

/** Writes `section` for the report; returns the file written. */
export function recordBench(section: BenchSection): string {
  for (const ratio of section.ratios) {
    for (const label of [ratio.of, ratio.to]) {
      if (!section.rows.some((row) => row.label === label && row.group === ratio.group))
        throw new Error(`${section.id}: ratio "${ratio.label}" names a missing row "${label}"`);
    }
  }
  const recorded: RecordedSection = {
    ...section,
    machine: machineDescription(),
    node: process.version,
    recordedAt: new Date().toISOString(),
  };
  const dir = benchResultsDir();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${section.id}.json`);
  writeFileSync(file, `${JSON.stringify(recorded, null, 2)}\n`);
  return file;
}

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

export const median = (values: readonly number[]): number =>
  sorted(values)[Math.floor(values.length / 2)] as number;

/** The median and the lowest and highest of `values`. */
export function summary(values: readonly number[]): { median: number; low: number; high: number } {
  const list = sorted(values);
  return {
    median: list[Math.floor(list.length / 2)] as number,
    low: list[0] as number,
    high: list[list.length - 1] as number,
  };
}

/** Round-by-round ratios of two rows' samples. */
export function roundRatios(of: readonly number[], to: readonly number[]): number[] {
  const rounds = Math.min(of.length, to.length);
  return Array.from({ length: rounds }, (_, i) => (of[i] as number) / (to[i] as number));
}
