import type { Outcome } from './property.ts';

export interface Stats {
  cases: number;
  tampered: number;
  tamperedAccepted: number;
  officialAccepted: number;
  signetAccepted: number;
  disagreements: Record<string, number>;
  codes: Record<string, number>;
}

export function newStats(): Stats {
  return {
    cases: 0,
    tampered: 0,
    tamperedAccepted: 0,
    officialAccepted: 0,
    signetAccepted: 0,
    disagreements: {},
    codes: {},
  };
}

export function record(stats: Stats, outcome: Outcome): void {
  const code = Object.values(outcome.signet)[0] as string;
  stats.cases++;
  if (outcome.tampered) stats.tampered++;
  if (outcome.tampered && code === 'accepted') stats.tamperedAccepted++;
  if (outcome.official) stats.officialAccepted++;
  if (code === 'accepted') stats.signetAccepted++;
  stats.codes[code] = (stats.codes[code] ?? 0) + 1;
  if (outcome.disagreement)
    stats.disagreements[outcome.disagreement] =
      (stats.disagreements[outcome.disagreement] ?? 0) + 1;
}
