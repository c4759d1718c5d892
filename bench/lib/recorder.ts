/** Latencies and outcomes of one kind of request during a load run. */
export class Recorder {
  private readonly latencies: number[] = [];
  private readonly failures = new Map<string, number>();

  constructor(readonly name: string) {}

  /** Times `work`; a thrown error counts as a failure under its message (a status, usually). */
  async time(work: () => Promise<void>): Promise<boolean> {
    const started = performance.now();
    try {
      await work();
      this.latencies.push(performance.now() - started);
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
      return false;
    }
  }

  summary(seconds: number) {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (p: number) =>
      sorted.length === 0
        ? Number.NaN
        : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    const errors = [...this.failures.values()].reduce((a, b) => a + b, 0);
    return {
      name: this.name,
      ok: sorted.length,
      errors,
      perSecond: sorted.length / seconds,
      p50: at(0.5),
      p95: at(0.95),
      p99: at(0.99),
      failures: Object.fromEntries(this.failures),
    };
  }
}

export type RecorderSummary = ReturnType<Recorder['summary']>;

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** A markdown table of the summaries, failures listed under it. */
export function renderLoadTable(rows: RecorderSummary[]): string {
  const header = ['request', 'ok', 'errors', 'ok/s', 'p50 ms', 'p95 ms', 'p99 ms'];
  const body = rows.map((r) => [
    r.name,
    String(r.ok),
    String(r.errors),
    fmt(r.perSecond, 1),
    fmt(r.p50, 2),
    fmt(r.p95, 2),
    fmt(r.p99, 2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const failures = rows.flatMap((r) =>
    Object.entries(r.failures).map(([reason, n]) => `- ${r.name}: ${n} × ${reason}`),
  );
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? '-' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|')}|`,
    ...body.map(line),
    ...(failures.length ? ['', 'failures:', ...failures] : []),
  ].join('\n');
}
