import { Injectable } from '@nestjs/common';
import type { CaptureResultView, CreateTerritoryBody, TerritoryView } from '@trustno1/contracts';
import type { PrismaDb } from '@trustno1/db';

@Injectable()
export class TerritoriesRepository {
  async list(db: PrismaDb): Promise<TerritoryView[]> {
    const rows = await db.$queryRaw<{ view: TerritoryView }[]>`
      SELECT territory_json(t) AS view FROM territories t ORDER BY t.name, t.id`;
    return rows.map((r) => r.view);
  }

  async insert(tx: PrismaDb, id: string, body: CreateTerritoryBody): Promise<TerritoryView> {
    const [row] = await tx.$queryRaw<{ view: TerritoryView }[]>`
      INSERT INTO territories AS t (id, name, center_x, center_z, radius, max_capture_points, building_allowed,
                                    resources_generated, capture_points, under_attack)
      VALUES (${id}, ${body.name}, ${body.centerX}, ${body.centerZ}, ${body.radius},
              ${body.maxCapturePoints ?? 100}, ${body.buildingAllowed ?? true},
              ${JSON.stringify(body.resourcesGenerated ?? {})}::jsonb, 0, false)
      RETURNING territory_json(t) AS view`;
    return row.view;
  }

  /** One capture attempt under the territory's row lock (capture_territory). */
  async capture(
    tx: PrismaDb,
    territoryId: string,
    factionId: string,
    points: number,
    now: Date,
    capturer: { playerId: string; serverId: string },
  ): Promise<CaptureResultView> {
    const [row] = await tx.$queryRaw<{ result: CaptureResultView }[]>`
      SELECT capture_territory(${territoryId}, ${factionId}, ${points}, ${now},
                               ${capturer.playerId}::uuid, ${capturer.serverId}::uuid) AS result`;
    return row.result;
  }

  /** Credits the hour that ended at `hourEnd`; returns the rows written (0 when already credited). */
  async creditResources(db: PrismaDb, hourEnd: Date): Promise<number> {
    const [row] = await db.$queryRaw<{ credited: number }[]>`
      SELECT credit_territory_resources(${hourEnd}) AS credited`;
    return row.credited;
  }
}
