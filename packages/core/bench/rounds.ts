// What every core benchmark does the same way: tasks measured in interleaved rounds (the machine
// is noisy; a task's rounds are spread over the whole run), medians and spreads of ops/s, and a
// markdown table with its text columns left and its figures right.
import { summary } from '@signet/test-kit/bench-record';
import { Bench } from 'tinybench';

/** Each task's ops/s, one sample per round. `add` registers the tasks on each round's Bench. */
export async function interleavedRounds(
  rounds: number,
  timeMs: number,
  add: (bench: Bench) => void,
): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: timeMs, warmup: true });
    add(bench);
    await bench.run();
    for (const task of bench.tasks) {
      if (task.result.state !== 'completed') throw new Error(`${task.name}: ${task.result.state}`);
      const list = samples.get(task.name) ?? [];
      list.push(1000 / task.result.period);
      samples.set(task.name, list);
    }
  }
  return samples;
}

export { median } from '@signet/test-kit/bench-record';

export const opsPerSecond = (n: number) => Math.round(n).toLocaleString('en-US');

export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** `lowest–highest` of the samples, as ops/s. */
export function spread(values: readonly number[]): string {
  const { low, high } = summary(values);
  return `${opsPerSecond(low)}–${opsPerSecond(high)}`;
}

/** Prints `rows` (the first is the header) as a markdown table; columns from `firstFigure` on are figures. */
export function printTable(rows: readonly string[][], firstFigure: number): void {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] as string).length))) ??
    [];
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, i) => (i >= firstFigure ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number))).join(' | ')} |`;
  console.log(line(rows[0] as string[]));
  console.log(
    `| ${widths.map((w, i) => (i >= firstFigure ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`,
  );
  for (const row of rows.slice(1)) console.log(line(row));
}
