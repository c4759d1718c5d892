import type { Pool, PoolClient } from 'pg';
import { AppError, ErrorCode } from '@trustno1/contracts';

/**
 * A game server acts only on characters joined to it (SPEC §8): 404 when there is no such
 * character, 403 when it is offline or on another server. `field` names the request field.
 */
export async function requireJoinedCharacter(
  db: Pool | PoolClient,
  playerId: string,
  serverId: string,
  field: 'ownerId' | 'playerId',
): Promise<void> {
  const { rows } = await db.query<{ server_id: string | null }>(
    'SELECT server_id FROM accounts.players WHERE id = $1',
    [playerId],
  );
  if (rows.length === 0)
    throw new AppError(ErrorCode.NOT_FOUND, 'Character not found', { [field]: playerId });
  if (rows[0].server_id !== serverId)
    throw new AppError(ErrorCode.FORBIDDEN, 'The character is not joined to this server', {
      [field]: playerId,
    });
}
