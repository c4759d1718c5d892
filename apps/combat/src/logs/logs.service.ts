import { Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCode,
  type CombatLogsRequest,
  type CombatLogsView,
  type CombatLogView,
  type Principal,
} from '@trustno1/contracts';
import { LogsRepository, type CombatLogRow } from './logs.repository';

const DEFAULT_LIMIT = 50;

function invalid(field: string, message: string): AppError {
  return new AppError(ErrorCode.VALIDATION_FAILED, `Invalid request: ${field}`, {
    fields: [{ field, message }],
  });
}

@Injectable()
export class LogsService {
  constructor(private readonly repository: LogsRepository) {}

  /**
   * Newest first, keyset paged on (created_at, id). An admin reads every row; a game server
   * names a character joined to it and reads that character's rows (as attacker or victim).
   */
  async list(principal: Principal, req: CombatLogsRequest): Promise<CombatLogsView> {
    if (principal.kind === 'server') {
      if (!req.playerId) throw invalid('playerId', 'required for a game server');
      const player = await this.repository.serverOf(req.playerId);
      if (!player) throw new AppError(ErrorCode.NOT_FOUND, 'player not found', { playerId: req.playerId });
      if (player.serverId !== principal.serverId) {
        throw new AppError(ErrorCode.FORBIDDEN, 'FORBIDDEN: NOT_JOINED_TO_THIS_SERVER', {
          playerId: req.playerId,
          reason: 'NOT_JOINED_TO_THIS_SERVER',
        });
      }
    } else if (principal.kind !== 'admin') {
      throw new AppError(ErrorCode.FORBIDDEN, 'FORBIDDEN');
    }
    const from = req.from ? new Date(req.from) : null;
    const to = req.to ? new Date(req.to) : null;
    if (from && to && from > to) throw invalid('to', 'must not be before from');
    const limit = req.limit ?? DEFAULT_LIMIT;
    const rows = await this.repository.page({
      playerId: req.playerId ?? null,
      from,
      to,
      after: req.cursor ? decodeCursor(req.cursor) : null,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      logs: page.map(logView),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_us, last.id) : null,
    };
  }
}

export function encodeCursor(us: string, id: string): string {
  return Buffer.from(`${us}|${id}`, 'utf8').toString('base64url');
}

/** The cursor's (microseconds, id); anything this route did not hand out is a 400 naming it. */
export function decodeCursor(cursor: string): { us: string; id: string } {
  const [us, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  if (rest.length > 0 || !/^-?[0-9]{1,17}$/.test(us ?? '') || !uuid.test(id ?? '')) {
    throw invalid('cursor', 'must be a cursor this route returned');
  }
  return { us, id };
}

export function logView(row: CombatLogRow): CombatLogView {
  return {
    id: row.id,
    attackerId: row.attacker_id,
    victimId: row.victim_id,
    weaponId: row.weapon_id,
    ammoType: row.ammo_type,
    damage: row.damage,
    hitLocation: row.hit_location as CombatLogView['hitLocation'],
    distance: row.distance,
    headshot: row.headshot ?? false,
    killingBlow: row.killing_blow ?? false,
    positionAttacker: row.position_attacker,
    positionVictim: row.position_victim,
    createdAt: row.created_at.toISOString(),
  };
}
