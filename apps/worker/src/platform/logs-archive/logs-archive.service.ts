import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { inspectGzipLines, writeGzipLines, writeJsonDurably } from './archive-file';
import { LogsArchiveRepository, type LogPartition } from './logs-archive.repository';

export interface LogsArchiveOptions {
  /** Where archives go: `<dir>/<table>/<partition>.jsonl.gz` plus a `.manifest.json`. */
  archiveDir: string;
  /** Partitions entirely older than this many months are archived (the seed's 3). */
  monthsKept: number;
  /** Longest wait for the partition lock before giving up until the next run. */
  lockTimeoutMs: number;
}

export const LOGS_ARCHIVE_OPTIONS = Symbol('LOGS_ARCHIVE_OPTIONS');

export interface ArchivedPartition {
  table: string;
  partition: string;
  rows: number;
  file: string;
}

/** What sits next to each archive: enough to check it and to know what it held. */
export interface ArchiveManifest {
  table: string;
  partition: string;
  from: string;
  to: string;
  rows: number;
  bytes: number;
  sha256: string;
  format: 'jsonl+gzip';
  archivedAt: string;
}

/**
 * `logs.archive`: moves log partitions older than three months to cold storage (the seed's
 * "Archivado") and drops them. Safe to re-run at any point: a partition is dropped only after its
 * archive is written, re-read and described by a manifest, so a crash before the drop just means
 * the next run writes the same archive again and drops it then.
 */
@Injectable()
export class LogsArchiveService {
  private readonly logger = new Logger('logs-archive');

  constructor(
    private readonly repository: LogsArchiveRepository,
    @Inject(LOGS_ARCHIVE_OPTIONS) private readonly options: LogsArchiveOptions,
  ) {}

  /** Archives every partition that ended `monthsKept` months before `now`; skips if a run is in progress. */
  async run(now: Date): Promise<{ archived: ArchivedPartition[]; skipped?: 'locked' }> {
    const archived = await this.repository.withRunLock(async () => {
      const done: ArchivedPartition[] = [];
      for (const part of await this.repository.partitionsEndingBy(
        monthsBefore(now, this.options.monthsKept),
      )) {
        done.push(await this.archive(part));
      }
      return done;
    });
    return archived ? { archived } : { archived: [], skipped: 'locked' };
  }

  /** Writes and verifies one partition's archive and manifest, then drops the partition. */
  async archive(part: LogPartition): Promise<ArchivedPartition> {
    const manifest = await this.export(part);
    await this.repository.dropIfUnchanged(part, manifest.rows, this.options.lockTimeoutMs);
    this.logger.log({ partition: part.partition, rows: manifest.rows }, 'partition archived and dropped');
    return { table: part.table, partition: part.partition, rows: manifest.rows, file: this.fileOf(part) };
  }

  /** The archive and its manifest, written durably; throws unless the file reads back whole. */
  async export(part: LogPartition): Promise<ArchiveManifest> {
    const file = this.fileOf(part);
    await mkdir(join(this.dir(), part.table), { recursive: true });
    const written = await writeGzipLines(file, this.repository.rowsOf(part));
    const check = await inspectGzipLines(file);
    if (check.rows !== written) throw new Error(`${file}: wrote ${written} rows, read back ${check.rows}`);
    const manifest: ArchiveManifest = {
      table: part.table,
      partition: part.partition,
      from: part.from.toISOString(),
      to: part.to.toISOString(),
      rows: written,
      bytes: check.bytes,
      sha256: check.sha256,
      format: 'jsonl+gzip',
      archivedAt: new Date().toISOString(),
    };
    await writeJsonDurably(join(this.dir(), part.table, `${part.partition}.manifest.json`), manifest);
    return manifest;
  }

  private fileOf(part: LogPartition): string {
    return join(this.dir(), part.table, `${part.partition}.jsonl.gz`);
  }

  private dir(): string {
    return resolve(this.options.archiveDir);
  }
}

/** `now` minus whole calendar months in UTC, clamped like SQL's interval (May 31 - 3 months = Feb 28). */
export function monthsBefore(now: Date, months: number): Date {
  const first = new Date(now);
  first.setUTCDate(1);
  first.setUTCMonth(first.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(now.getUTCDate(), lastDay));
  return first;
}
