// CIS Kubernetes Benchmark versions fleetbench knows. Control numbers and some thresholds differ
// between them; each rule file says what they are per version.

export const BENCHMARKS = ['1.5', '1.6', '1.8', '1.9', '1.10', '1.11', '1.12'] as const;
export type BenchmarkVersion = (typeof BENCHMARKS)[number];
export const DEFAULT_BENCHMARK: BenchmarkVersion = '1.12';

/** Accepts `1.12`, `cis-1.12`, `CIS-1.12`, `v1.12`. */
export function parseBenchmark(text: string): BenchmarkVersion | undefined {
  const version = text
    .trim()
    .toLowerCase()
    .replace(/^(cis-?|v)/, '');
  return (BENCHMARKS as readonly string[]).includes(version) ? (version as BenchmarkVersion) : undefined;
}

export function benchmarkName(version: BenchmarkVersion): string {
  return `cis-${version}`;
}
