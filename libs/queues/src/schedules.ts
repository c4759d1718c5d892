import type { Service } from '@trustno1/contracts';

/** Who owns a schedule's work: a service's domain, or the platform itself (partitions, archives). */
export type ScheduleDomain = Service | 'platform';

/** `every` repeats at fixed multiples of the interval; `pattern` is a cron line in UTC. */
export type ScheduleRepeat = { every: number } | { pattern: string };

export interface ScheduleDefinition {
  readonly name: ScheduleName;
  readonly domain: ScheduleDomain;
  readonly description: string;
  readonly repeat: ScheduleRepeat;
  /** Also enqueue one run when a worker boots (work the cluster must not wait a day for). */
  readonly runAtBoot?: boolean;
  /**
   * Whether the worker registers the schedule. Set it to true in the change that builds the
   * processor: the worker then refuses to start without exactly one handler for it.
   */
  readonly enabled: boolean;
}

export const SCHEDULE_NAMES = [
  'positions.flush',
  'matchmaking.assign',
  'leaderboards.recompute',
  'market.prices.update',
  'market.listings.expire',
  'market.trades.expire',
  'partitions.ensure',
  'logs.archive',
  'chunks.compress',
  'accounts.archive-inactive',
  'structures.decay-scan',
  'corpses.cleanup',
  'vehicles.decay',
  'territories.resources',
  'events.spawn',
  'events.expire',
  'retention.purge',
  'ledgers.verify',
  'raids.close-idle',
] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** SPEC §6's repeatable schedules, each run once per cluster per tick. */
export const SCHEDULES: readonly ScheduleDefinition[] = [
  {
    name: 'positions.flush',
    domain: 'accounts',
    description: 'Write player states from Redis to PostgreSQL in batches; take lingering players offline',
    repeat: { every: 10 * SECOND },
    enabled: true,
  },
  {
    name: 'matchmaking.assign',
    domain: 'accounts',
    description: 'Place queued matchmaking tickets on live servers of their region with free seats',
    repeat: { every: 2 * SECOND },
    enabled: true,
  },
  {
    name: 'leaderboards.recompute',
    domain: 'seasons',
    description: 'Rebuild the leaderboard:* sorted sets from PostgreSQL, each built aside and swapped in',
    repeat: { pattern: '0 * * * *' },
    enabled: true,
  },
  {
    name: 'market.prices.update',
    domain: 'market',
    description: 'Recompute price statistics (update_market_prices) into market:* keys',
    repeat: { every: 5 * MINUTE },
    enabled: true,
  },
  {
    name: 'market.listings.expire',
    domain: 'market',
    description: 'Expire listings past expires_at and give the items back to their sellers',
    repeat: { every: MINUTE },
    enabled: true,
  },
  {
    name: 'market.trades.expire',
    domain: 'market',
    description:
      'Cancel direct trades idle for TRADE_TIMEOUT_SECONDS or with a character who left the server; escrowed items go back',
    repeat: { every: 15 * SECOND },
    enabled: true,
  },
  {
    name: 'partitions.ensure',
    domain: 'platform',
    description: 'Create the combat_logs and transactions partitions of the next 3 months',
    repeat: { pattern: '15 2 * * *' },
    runAtBoot: true,
    enabled: true,
  },
  {
    name: 'ledgers.verify',
    domain: 'platform',
    description:
      'Replay the item and wallet ledgers against the tables; a mismatch sets tn1_ledger_mismatches and logs the first',
    // Not at boot: a full pass over both ledgers would slow every deploy.
    repeat: { pattern: '40 3 * * *' },
    enabled: true,
  },
  {
    name: 'retention.purge',
    domain: 'platform',
    description:
      'Delete idempotency records, published outbox rows and processed-event records past their retention, and expired members of sessions:active',
    repeat: { pattern: '23 * * * *' },
    enabled: true,
  },
  {
    name: 'logs.archive',
    domain: 'platform',
    description: 'Archive log partitions older than 3 months to ARCHIVE_DIR, then drop them',
    repeat: { pattern: '30 3 * * *' },
    enabled: true,
  },
  {
    name: 'chunks.compress',
    domain: 'world',
    description: 'Compress the stored data of chunks nobody visited lately',
    repeat: { pattern: '20 * * * *' },
    enabled: false,
  },
  {
    name: 'accounts.archive-inactive',
    domain: 'accounts',
    description: 'Archive accounts inactive for a year',
    repeat: { pattern: '45 4 * * *' },
    enabled: false,
  },
  {
    name: 'structures.decay-scan',
    domain: 'world',
    description: 'Find chunks with lapsed upkeep and enqueue one structure_decay job per chunk',
    repeat: { every: 10 * MINUTE },
    enabled: true,
  },
  {
    name: 'corpses.cleanup',
    domain: 'inventory',
    description: 'Remove corpse inventories whose time in the world is over',
    repeat: { every: MINUTE },
    enabled: true,
  },
  {
    name: 'vehicles.decay',
    domain: 'world',
    description: 'Decay vehicles unused for 24 h (10 % of max health per hour), destroy those at zero',
    repeat: { pattern: '5 * * * *' },
    enabled: true,
  },
  {
    name: 'territories.resources',
    domain: 'world',
    description: "Credit each owned territory's hourly resources to territory_resource_ledger",
    repeat: { pattern: '0 * * * *' },
    enabled: true,
  },
  {
    name: 'events.spawn',
    domain: 'world',
    description: 'Enqueue one event_spawn job per tick, cycling through the event templates',
    repeat: { every: 15 * MINUTE },
    enabled: true,
  },
  {
    name: 'events.expire',
    domain: 'world',
    description: 'Complete world events whose time is over, without a winner',
    repeat: { every: MINUTE },
    enabled: true,
  },
  {
    name: 'raids.close-idle',
    domain: 'combat',
    description:
      'Close raids without raid damage for RAID_IDLE_MINUTES: loot taken, successful, raid-ended event',
    repeat: { every: MINUTE },
    enabled: true,
  },
];

/** The definition of one schedule. */
export function scheduleNamed(name: ScheduleName): ScheduleDefinition {
  const found = SCHEDULES.find((s) => s.name === name);
  if (!found) throw new Error(`unknown schedule ${name}`);
  return found;
}

/** True when `name` is one of SCHEDULE_NAMES. */
export function isScheduleName(name: string): name is ScheduleName {
  return (SCHEDULE_NAMES as readonly string[]).includes(name);
}
