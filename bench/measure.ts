import { performance } from 'node:perf_hooks';

export interface Measurement {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The goal this figure is held to, when there is one. */
  readonly goal?: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The heap in use after a full collection (when node runs with --expose-gc, as `npm run bench` does). */
export function heapUsed(): number {
  global.gc?.();
  global.gc?.();
  return process.memoryUsage().heapUsed;
}

/** Runs `fn` repeatedly for about `budgetMs` after a warm-up and returns the median time per call in ms. */
export async function medianMs(fn: () => unknown, { warmup = 20, budgetMs = 500, minRuns = 10 } = {}): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  const end = performance.now() + budgetMs;
  while (samples.length < minRuns || performance.now() < end) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}
