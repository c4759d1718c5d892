import type { Measurement } from './measure';

/** One printed row: an operation through the product next to the same work done raw. */
export interface BenchRow {
  operation: string;
  measured: Measurement;
  raw: Measurement;
  note?: string;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

export function renderTable(rows: BenchRow[]): string {
  const header = ['operation', 'ops/s', 'p50 ms', 'p99 ms', 'raw ops/s', 'raw p50 ms', 'ratio', 'errors'];
  const body = rows.map((r) => [
    r.operation,
    fmt(r.measured.opsPerSecond),
    fmt(r.measured.p50Ms, 2),
    fmt(r.measured.p99Ms, 2),
    fmt(r.raw.opsPerSecond),
    fmt(r.raw.p50Ms, 2),
    fmt(r.measured.opsPerSecond / r.raw.opsPerSecond, 2),
    String(r.measured.errors + r.raw.errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.operation}: ${r.note}`);
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? '-' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|')}|`,
    ...body.map(line),
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}
