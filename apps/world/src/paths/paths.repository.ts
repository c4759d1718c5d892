import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@trustno1/db';

export interface StoredTerrain {
  x: number;
  z: number;
  terrain: Buffer;
}

@Injectable()
export class PathsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The stored terrain of the chunks in a range (inclusive); chunks never loaded are absent. */
  async terrain(minCx: number, minCz: number, maxCx: number, maxCz: number): Promise<StoredTerrain[]> {
    const chunks = await this.prisma.worldChunk.findMany({
      where: { x: { gte: minCx, lte: maxCx }, z: { gte: minCz, lte: maxCz }, terrainData: { not: null } },
      select: { x: true, z: true, terrainData: true },
    });
    // Prisma reads bytea as a Uint8Array; the terrain codec reads a Buffer (same memory, no copy).
    return chunks.flatMap(({ x, z, terrainData: t }) =>
      t ? [{ x, z, terrain: Buffer.from(t.buffer, t.byteOffset, t.byteLength) }] : [],
    );
  }

  /** Positions of the structures standing in a chunk range (inclusive). */
  structurePositions(
    minCx: number,
    minCz: number,
    maxCx: number,
    maxCz: number,
  ): Promise<{ x: number; z: number }[]> {
    return this.prisma.$queryRaw<{ x: number; z: number }[]>`
      SELECT (position->>'x')::float8 AS x, (position->>'z')::float8 AS z FROM structures
       WHERE chunk_x BETWEEN ${minCx} AND ${maxCx} AND chunk_z BETWEEN ${minCz} AND ${maxCz}`;
  }
}
