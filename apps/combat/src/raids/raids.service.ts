import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCode,
  type CloseIdleRaidsView,
  type Principal,
  type RaidView,
} from '@trustno1/contracts';
import { RAIDS_CONFIG, type RaidsConfig } from './raids-config';
import { RaidsRepository } from './raids.repository';

const DEFAULT_LIMIT = 50;

/**
 * Reading raid logs and closing idle raids; opening and extending them is the consumer's
 * (RaidDamageConsumer). A player sees only the raids of its characters' factions.
 */
@Injectable()
export class RaidsService {
  constructor(
    private readonly repository: RaidsRepository,
    @Inject(RAIDS_CONFIG) private readonly config: RaidsConfig,
  ) {}

  async list(
    req: { factionId?: string; structureId?: string; active?: boolean; limit?: number },
    principal: Principal,
  ): Promise<RaidView[]> {
    const visible = await this.visibleFactions(principal);
    if (visible && req.factionId !== undefined && !visible.includes(req.factionId))
      throw new AppError(ErrorCode.FORBIDDEN, "Not a faction of the player's characters", {
        factionId: req.factionId,
      });
    if (visible?.length === 0) return [];
    return this.repository.list({
      factionId: req.factionId ?? null,
      structureId: req.structureId ?? null,
      active: req.active ?? null,
      visible,
      limit: req.limit ?? DEFAULT_LIMIT,
    });
  }

  async get(raidId: string, principal: Principal): Promise<RaidView> {
    const raid = await this.repository.get(raidId);
    const visible = raid && (await this.visibleFactions(principal));
    const seen =
      raid &&
      (!visible ||
        [raid.raiderFactionId, raid.defenderFactionId].some((f) => f !== null && visible.includes(f)));
    if (!raid || !seen) throw new AppError(ErrorCode.NOT_FOUND, 'Raid not found', { raidId });
    return raid;
  }

  /** The raids.close-idle schedule's tick. */
  closeIdle(now: string): Promise<CloseIdleRaidsView> {
    return this.repository.closeIdle(
      new Date(now),
      this.config.RAID_IDLE_MINUTES,
      this.config.RAID_CLOSE_BATCH,
    );
  }

  private async visibleFactions(principal: Principal): Promise<string[] | null> {
    return principal.kind === 'player' ? this.repository.accountFactions(principal.accountId) : null;
  }
}
