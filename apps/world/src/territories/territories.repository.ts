import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { CaptureResultView, CreateTerritoryBody, TerritoryView } from '@trustno1/contracts';

@Injectable()
export class TerritoriesRepository {
  async list(db: Pool | PoolClient): Promise<TerritoryView[]> {
    const { rows } = await db.query<{ view: TerritoryView }>(
      `SELECT territory_json(t) AS view FROM territories t ORDER BY t.name, t.id`,
    );
    return rows.map((r) => r.view);
  }

  async insert(tx: PoolClient, id: string, body: CreateTerritoryBody): Promise<TerritoryView> {
    const { rows } = await tx.query<{ view: TerritoryView }>(
      `INSERT INTO territories AS t (id, name, center_x, center_z, radius, max_capture_points, building_allowed,
                                     resources_generated, capture_points, under_attack)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, 0, false)
       RETURNING territory_json(t) AS view`,
      [
        id,
        body.name,
        body.centerX,
        body.centerZ,
        body.radius,
        body.maxCapturePoints ?? 100,
        body.buildingAllowed ?? true,
        JSON.stringify(body.resourcesGenerated ?? {}),
      ],
    );
    return rows[0].view;
  }

  /** One capture attempt under the territory's row lock (capture_territory). */
  async capture(
    tx: PoolClient,
    territoryId: string,
    factionId: string,
    points: number,
    now: Date,
  ): Promise<CaptureResultView> {
    const { rows } = await tx.query<{ result: CaptureResultView }>(
      `SELECT capture_territory($1, $2, $3, $4) AS result`,
      [territoryId, factionId, points, now],
    );
    return rows[0].result;
  }

  /** Credits the hour that ended at `hourEnd`; returns the rows written (0 when already credited). */
  async creditResources(db: Pool | PoolClient, hourEnd: Date): Promise<number> {
    const { rows } = await db.query<{ credited: number }>(
      `SELECT credit_territory_resources($1) AS credited`,
      [hourEnd],
    );
    return rows[0].credited;
  }
}
