import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

export interface ArchiveFileStats {
  rows: number;
  bytes: number;
  sha256: string;
}

/**
 * Writes `lines` as gzip-compressed JSON lines to `path` so that `path` either holds a complete,
 * durable file or is untouched: write to `<path>.partial`, fsync it, rename, fsync the folder.
 * A crash leaves at most the .partial file, which the next run overwrites.
 */
export async function writeGzipLines(path: string, lines: AsyncIterable<string>): Promise<number> {
  const partial = `${path}.partial`;
  let rows = 0;
  async function* terminated(): AsyncGenerator<string> {
    for await (const line of lines) {
      rows++;
      yield `${line}\n`;
    }
  }
  await pipeline(Readable.from(terminated()), createGzip(), createWriteStream(partial));
  await fsync(partial);
  await rename(partial, path);
  await fsync(dirname(path));
  return rows;
}

/** Re-reads an archive: counts its lines and hashes its bytes (the proof it is readable). */
export async function inspectGzipLines(path: string): Promise<ArchiveFileStats> {
  const hash = createHash('sha256');
  let bytes = 0;
  let rows = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const counter = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const byte of chunk) if (byte === 0x0a) rows++;
      done();
    },
  });
  await pipeline(createReadStream(path), hashing, createGunzip(), counter);
  return { rows, bytes, sha256: hash.digest('hex') };
}

/** Writes a small JSON file with the same write-fsync-rename steps. */
export async function writeJsonDurably(path: string, value: unknown): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, `${JSON.stringify(value, null, 2)}\n`);
  await fsync(partial);
  await rename(partial, path);
  await fsync(dirname(path));
}

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
