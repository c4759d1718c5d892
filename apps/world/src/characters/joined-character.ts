import { AppError, ErrorCode } from '@trustno1/contracts';
import type { PrismaDb } from '@trustno1/db';

/**
 * A game server acts only on characters joined to it (SPEC §8): 404 when there is no such
 * character, 403 when it is offline or on another server. `field` names the request field.
 */
export async function requireJoinedCharacter(
  db: PrismaDb,
  playerId: string,
  serverId: string,
  field: 'ownerId' | 'playerId',
): Promise<void> {
  const player = await db.player.findUnique({ where: { id: playerId }, select: { serverId: true } });
  if (!player) throw new AppError(ErrorCode.NOT_FOUND, 'Character not found', { [field]: playerId });
  if (player.serverId !== serverId)
    throw new AppError(ErrorCode.FORBIDDEN, 'The character is not joined to this server', {
      [field]: playerId,
    });
}
