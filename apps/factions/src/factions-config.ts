import { serviceConfigSchema, z } from '@trustno1/config';

const scrapPerDay = z.coerce.number().int().min(0).max(1_000_000_000_000);

/**
 * The factions app's environment: the service base (DATABASE_URL, REDIS_URL, NATS_URL, HEALTH_PORT,
 * LOG_LEVEL, …) plus its rules, validated at start-up and named in the message when invalid.
 */
export const factionsConfigSchema = serviceConfigSchema('factions').extend({
  /** How long an invitation stays open, in hours. */
  FACTION_INVITE_TTL_HOURS: z.coerce.number().int().min(1).max(8760).default(48),
  /** Scrap an officer may withdraw from the treasury per UTC day (the leader has no limit). */
  FACTION_WITHDRAW_LIMIT_OFFICER: scrapPerDay.default(100_000),
  /** Scrap a member may withdraw per UTC day (needs treasury_withdraw, which members lack by default). */
  FACTION_WITHDRAW_LIMIT_MEMBER: scrapPerDay.default(10_000),
  /** Scrap a recruit may withdraw per UTC day. */
  FACTION_WITHDRAW_LIMIT_RECRUIT: scrapPerDay.default(0),
  /** At most one raid alert per base within this many minutes. */
  RAID_ALERT_COOLDOWN_MINUTES: z.coerce.number().int().min(0).max(1440).default(5),
  /** Failed webhook POSTs in a row that disable a faction's webhook. */
  WEBHOOK_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** Lets webhooks reach private, loopback and link-local addresses (tests with a local receiver). */
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((word) => word === 'true'),
});

export type FactionsConfig = z.infer<typeof factionsConfigSchema>;

export const FACTIONS_CONFIG = Symbol('FACTIONS_CONFIG');
