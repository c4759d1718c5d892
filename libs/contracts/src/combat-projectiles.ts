/**
 * Projectiles in flight (issue 12): the seed's `projectiles:active` HASH. A game server records
 * what it launched (rockets, grenades, thrown charges) so that another server or a restarted one
 * knows what is still in the air; each entry expires on its own at the end of its flight.
 */
import { z } from 'zod';
import { CombatErrors } from './combat';
import { ErrorCode } from './errors';
import { defineOperation } from './operation';
import { timestampView, vector3View } from './world';
import { structurePositionSchema } from './world-structures';

const { NOT_FOUND, FORBIDDEN, CONFLICT } = CombatErrors;
const TAG = 'combat';

const uuid = z.uuid({ message: 'must be a UUID' });
const finite = z.number({ message: 'must be a number' }).finite('must be finite');

/** Longest flight a projectile may declare (and the flight of one without a fuse), in ms. */
export const PROJECTILE_MAX_FLIGHT_MS = 120_000;
export const PROJECTILE_DEFAULT_FLIGHT_MS = 10_000;
/** Fastest a projectile may fly, per axis, in world units per second. */
export const PROJECTILE_MAX_SPEED = 10_000;
/** Projectiles one game server may have in flight at once. */
export const PROJECTILES_PER_SERVER = 5_000;

export const ProjectileSubjects = {
  launch: 'combat.projectile.launch.v1',
  remove: 'combat.projectile.remove.v1',
  list: 'combat.projectile.list.v1',
} as const;

const speed = finite
  .min(-PROJECTILE_MAX_SPEED, `must be at least -${PROJECTILE_MAX_SPEED}`)
  .max(PROJECTILE_MAX_SPEED, `must be at most ${PROJECTILE_MAX_SPEED}`);

export const launchProjectileBody = z.strictObject({
  /** The game server's id of the projectile: launching the same one again changes nothing. */
  id: uuid,
  /** The character who fired or threw it, joined to the calling server. */
  ownerId: uuid,
  kind: z
    .string({ message: 'must be a string' })
    .regex(/^[a-z0-9_]{1,32}$/, 'must be 1-32 lowercase letters, digits or _ (rocket, grenade, …)'),
  position: structurePositionSchema,
  velocity: z.strictObject({ x: speed, y: speed, z: speed }),
  /** When it goes off, in ms after the launch; its entry expires then (default 10 s). */
  fuseMs: z
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(PROJECTILE_MAX_FLIGHT_MS, `must be at most ${PROJECTILE_MAX_FLIGHT_MS}`)
    .optional(),
});
export const launchProjectileRequest = launchProjectileBody;
export type LaunchProjectileRequest = z.infer<typeof launchProjectileRequest>;

export const projectileView = z.object({
  id: z.string(),
  ownerId: z.string(),
  serverId: z.string(),
  kind: z.string(),
  position: vector3View,
  velocity: vector3View,
  fuseMs: z.number().nullable(),
  launchedAt: timestampView,
  expiresAt: timestampView,
});
export type ProjectileView = z.infer<typeof projectileView>;

export const removeProjectileRequest = z.strictObject({ projectileId: uuid });
export const listProjectilesRequest = z.strictObject({});
export const projectilesView = z.object({ projectiles: z.array(projectileView) });
export type ProjectilesView = z.infer<typeof projectilesView>;

export const ProjectileOps = {
  launchProjectile: defineOperation({
    subject: ProjectileSubjects.launch,
    request: launchProjectileRequest,
    reply: projectileView,
    principals: ['server'],
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN, CONFLICT, ErrorCode.LIMIT_REACHED],
    http: {
      method: 'POST',
      path: '/v1/combat/projectiles',
      body: launchProjectileBody,
      status: 201,
      tag: TAG,
      summary:
        'Record a projectile in flight (projectiles:active) until its fuse or flight ends; the same id again answers the stored one',
    },
  }),
  removeProjectile: defineOperation({
    subject: ProjectileSubjects.remove,
    request: removeProjectileRequest,
    reply: z.null(),
    principals: ['server'],
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'DELETE',
      path: '/v1/combat/projectiles/{id}',
      params: { id: 'projectileId' },
      status: 204,
      tag: TAG,
      summary: 'A projectile of this server landed or went off: its entry goes',
    },
  }),
  listProjectiles: defineOperation({
    subject: ProjectileSubjects.list,
    request: listProjectilesRequest,
    reply: projectilesView,
    principals: ['server'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/combat/projectiles',
      status: 200,
      tag: TAG,
      summary: "The calling server's projectiles still in flight, oldest launch first",
    },
  }),
} as const;
