/**
 * CPU time per operation, by process (Linux /proc): where a path spends the machine. On a small
 * machine the ratio of a service path to its raw call is set by the CPU every process on the path
 * burns per operation, so the bench prints it beside the throughput. Process groups are matched by
 * command name (`postgres`, `nats-server`) or given as pids; the bench's own process is measured
 * with process.cpuUsage. PostgreSQL's figure counts every backend of the server, so other work on
 * the machine shows up in it; a process that ends during the window is not counted.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100;

function ticksOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // the process ended
  }
}

function pidsNamed(name: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    });
}

/** A process group: a command name to look up at each start, or fixed pids. */
export type CpuGroup = { name: string } | { pids: number[] };

export interface CpuMeter {
  /** Starts counting; the returned function gives "label ms/op" for `ops` operations. */
  start(): (ops: number) => string;
}

export function cpuMeter(groups: Record<string, CpuGroup>): CpuMeter {
  const available = existsSync('/proc/self/stat');
  return {
    start() {
      if (!available) return () => 'CPU by process: unavailable here (no /proc)';
      // Pids are looked up again at the end: backends forked meanwhile count from zero.
      const lookup = () =>
        Object.entries(groups).map(
          ([label, group]) => [label, 'name' in group ? pidsNamed(group.name) : group.pids] as const,
        );
      const before = new Map<number, number>();
      for (const [, list] of lookup()) for (const pid of list) before.set(pid, ticksOf(pid));
      const self = process.cpuUsage();
      return (ops: number) => {
        const own = process.cpuUsage(self);
        const perOp = (seconds: number) => ((seconds * 1000) / ops).toFixed(2);
        const parts = lookup().map(([label, list]) => {
          const ticks = list.reduce((total, pid) => total + ticksOf(pid) - (before.get(pid) ?? 0), 0);
          return `${label} ${perOp(ticks / CLOCK_TICKS)}`;
        });
        return `CPU ms/op: bench ${perOp((own.user + own.system) / 1e6)}, ${parts.join(', ')}`;
      };
    },
  };
}
