// The migrated database against the seed design (seed/000_d697cb0fc9a32af7.txt) and the
// corrections and additions of SPEC section 3. The expectations below are transcribed by hand
// from those documents, in their own notation, never generated from the database.
import assert from 'node:assert/strict';
import { createTestDatabase } from '@trustno1/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Client } from 'pg';
import { readCatalog, type Catalog, type CatalogColumn } from './migrate/catalog';

// --- the seed, section "PostgreSQL - Esquema Principal" (comments dropped) -------------------

const SEED_TABLES: Record<string, string> = {
  accounts: `
    id: UUID PRIMARY KEY
    username: VARCHAR(32) UNIQUE NOT NULL
    email: VARCHAR(255) UNIQUE NOT NULL
    password_hash: VARCHAR(255) NOT NULL
    created_at: TIMESTAMPTZ DEFAULT NOW()
    last_login: TIMESTAMPTZ
    banned: BOOLEAN DEFAULT FALSE
    ban_reason: TEXT
    ban_expires: TIMESTAMPTZ
    two_factor_enabled: BOOLEAN DEFAULT FALSE
    premium_expires: TIMESTAMPTZ`,
  players: `
    id: UUID PRIMARY KEY
    account_id: UUID REFERENCES accounts(id)
    character_name: VARCHAR(32) UNIQUE NOT NULL
    position: JSONB NOT NULL
    rotation: JSONB NOT NULL
    chunk_x: INTEGER NOT NULL
    chunk_z: INTEGER NOT NULL
    health: JSONB NOT NULL
    stats: JSONB NOT NULL
    faction_id: UUID REFERENCES factions(id)
    playtime_seconds: BIGINT DEFAULT 0
    created_at: TIMESTAMPTZ DEFAULT NOW()
    last_seen: TIMESTAMPTZ DEFAULT NOW()
    is_online: BOOLEAN DEFAULT FALSE`,
  player_stats: `
    player_id: UUID PRIMARY KEY REFERENCES players(id)
    kills_players: INTEGER DEFAULT 0
    kills_npcs: INTEGER DEFAULT 0
    deaths: INTEGER DEFAULT 0
    distance_traveled: FLOAT DEFAULT 0
    shots_fired: INTEGER DEFAULT 0
    shots_hit: INTEGER DEFAULT 0
    damage_dealt: FLOAT DEFAULT 0
    damage_received: FLOAT DEFAULT 0
    items_crafted: INTEGER DEFAULT 0
    buildings_placed: INTEGER DEFAULT 0
    resources_gathered: JSONB DEFAULT '{}'`,
  inventories: `
    id: UUID PRIMARY KEY
    owner_id: UUID NOT NULL
    owner_type: inventory_owner_type NOT NULL
    grid_width: SMALLINT NOT NULL
    grid_height: SMALLINT NOT NULL
    max_weight: FLOAT
    locked: BOOLEAN DEFAULT FALSE
    lock_code: VARCHAR(10)
    created_at: TIMESTAMPTZ DEFAULT NOW()`,
  inventory_items: `
    id: UUID PRIMARY KEY
    inventory_id: UUID REFERENCES inventories(id) ON DELETE CASCADE
    item_template_id: VARCHAR(64) NOT NULL
    grid_x: SMALLINT NOT NULL
    grid_y: SMALLINT NOT NULL
    grid_width: SMALLINT NOT NULL
    grid_height: SMALLINT NOT NULL
    quantity: INTEGER DEFAULT 1
    durability: FLOAT
    attachments: JSONB
    custom_data: JSONB
    created_at: TIMESTAMPTZ DEFAULT NOW()
    UNIQUE(inventory_id, grid_x, grid_y)`,
  world_chunks: `
    x: INTEGER NOT NULL
    z: INTEGER NOT NULL
    biome_type: VARCHAR(32) NOT NULL
    terrain_data: BYTEA
    resource_nodes: JSONB
    last_loaded: TIMESTAMPTZ
    last_modified: TIMESTAMPTZ DEFAULT NOW()
    PRIMARY KEY (x, z)`,
  structures: `
    id: UUID PRIMARY KEY
    chunk_x: INTEGER NOT NULL
    chunk_z: INTEGER NOT NULL
    position: JSONB NOT NULL
    rotation: JSONB NOT NULL
    structure_type: VARCHAR(64) NOT NULL
    owner_id: UUID REFERENCES players(id)
    faction_id: UUID REFERENCES factions(id)
    health: FLOAT NOT NULL
    max_health: FLOAT NOT NULL
    build_data: JSONB NOT NULL
    permissions: JSONB NOT NULL
    upkeep_paid_until: TIMESTAMPTZ
    decay_protection: BOOLEAN DEFAULT TRUE
    created_at: TIMESTAMPTZ DEFAULT NOW()
    last_damaged: TIMESTAMPTZ
    INDEX idx_structures_chunk (chunk_x, chunk_z)
    INDEX idx_structures_owner (owner_id)`,
  structure_storage: `
    structure_id: UUID PRIMARY KEY REFERENCES structures(id)
    inventory_id: UUID REFERENCES inventories(id)
    authorized_players: UUID[]
    tc_range: FLOAT DEFAULT 30.0`,
  vehicles: `
    id: UUID PRIMARY KEY
    template_id: VARCHAR(64) NOT NULL
    position: JSONB NOT NULL
    rotation: JSONB NOT NULL
    chunk_x: INTEGER NOT NULL
    chunk_z: INTEGER NOT NULL
    owner_id: UUID REFERENCES players(id)
    faction_id: UUID REFERENCES factions(id)
    fuel_current: FLOAT NOT NULL
    fuel_max: FLOAT NOT NULL
    health: FLOAT NOT NULL
    max_health: FLOAT NOT NULL
    engine_damage: FLOAT DEFAULT 0
    tire_damage: JSONB
    modifications: JSONB
    inventory_id: UUID REFERENCES inventories(id)
    locked: BOOLEAN DEFAULT FALSE
    key_code: VARCHAR(10)
    last_used: TIMESTAMPTZ DEFAULT NOW()
    created_at: TIMESTAMPTZ DEFAULT NOW()`,
  factions: `
    id: UUID PRIMARY KEY
    name: VARCHAR(64) UNIQUE NOT NULL
    tag: VARCHAR(8) UNIQUE NOT NULL
    description: TEXT
    leader_id: UUID REFERENCES players(id)
    treasury: BIGINT DEFAULT 0
    reputation: INTEGER DEFAULT 0
    color: CHAR(7)
    discord_webhook: TEXT
    created_at: TIMESTAMPTZ DEFAULT NOW()
    member_count: INTEGER DEFAULT 1
    max_members: INTEGER DEFAULT 50`,
  faction_members: `
    faction_id: UUID REFERENCES factions(id) ON DELETE CASCADE
    player_id: UUID REFERENCES players(id) ON DELETE CASCADE
    rank: faction_rank NOT NULL
    permissions: JSONB NOT NULL
    joined_at: TIMESTAMPTZ DEFAULT NOW()
    last_online: TIMESTAMPTZ DEFAULT NOW()
    contribution_points: INTEGER DEFAULT 0
    PRIMARY KEY (faction_id, player_id)`,
  territories: `
    id: UUID PRIMARY KEY
    name: VARCHAR(64) NOT NULL
    center_x: FLOAT NOT NULL
    center_z: FLOAT NOT NULL
    radius: FLOAT NOT NULL
    owner_faction_id: UUID REFERENCES factions(id)
    captured_at: TIMESTAMPTZ
    capture_points: INTEGER DEFAULT 0
    max_capture_points: INTEGER DEFAULT 100
    resources_generated: JSONB
    under_attack: BOOLEAN DEFAULT FALSE
    last_attacked: TIMESTAMPTZ
    building_allowed: BOOLEAN DEFAULT TRUE`,
  market_listings: `
    id: UUID PRIMARY KEY
    seller_id: UUID REFERENCES players(id)
    item_template_id: VARCHAR(64) NOT NULL
    quantity: INTEGER NOT NULL
    price_per_unit: BIGINT NOT NULL
    currency: currency_type DEFAULT 'scrap'
    quality: FLOAT
    attachments: JSONB
    location_type: market_location_type NOT NULL
    location_id: UUID
    expires_at: TIMESTAMPTZ NOT NULL
    created_at: TIMESTAMPTZ DEFAULT NOW()
    sold_quantity: INTEGER DEFAULT 0
    INDEX idx_market_item (item_template_id)
    INDEX idx_market_expires (expires_at)`,
  transactions: `
    id: UUID PRIMARY KEY
    buyer_id: UUID REFERENCES players(id)
    seller_id: UUID REFERENCES players(id)
    listing_id: UUID REFERENCES market_listings(id)
    item_template_id: VARCHAR(64) NOT NULL
    quantity: INTEGER NOT NULL
    total_price: BIGINT NOT NULL
    currency: currency_type DEFAULT 'scrap'
    transaction_type: transaction_type NOT NULL
    location: JSONB
    created_at: TIMESTAMPTZ DEFAULT NOW()`,
  world_events: `
    id: UUID PRIMARY KEY
    event_type: VARCHAR(64) NOT NULL
    name: VARCHAR(128)
    description: TEXT
    location: JSONB NOT NULL
    chunk_x: INTEGER NOT NULL
    chunk_z: INTEGER NOT NULL
    participants: UUID[]
    rewards: JSONB
    data: JSONB NOT NULL
    started_at: TIMESTAMPTZ DEFAULT NOW()
    ends_at: TIMESTAMPTZ NOT NULL
    completed: BOOLEAN DEFAULT FALSE
    winner_id: UUID REFERENCES players(id)`,
  combat_logs: `
    id: UUID PRIMARY KEY
    attacker_id: UUID REFERENCES players(id)
    victim_id: UUID REFERENCES players(id)
    weapon_id: VARCHAR(64)
    ammo_type: VARCHAR(64)
    damage: FLOAT NOT NULL
    hit_location: body_part NOT NULL
    distance: FLOAT
    headshot: BOOLEAN DEFAULT FALSE
    killing_blow: BOOLEAN DEFAULT FALSE
    position_attacker: JSONB
    position_victim: JSONB
    created_at: TIMESTAMPTZ DEFAULT NOW()
    INDEX idx_combat_time (created_at DESC)
    INDEX idx_combat_players (attacker_id, victim_id)`,
  raid_logs: `
    id: UUID PRIMARY KEY
    structure_id: UUID REFERENCES structures(id)
    raider_faction_id: UUID REFERENCES factions(id)
    defender_faction_id: UUID REFERENCES factions(id)
    started_at: TIMESTAMPTZ DEFAULT NOW()
    ended_at: TIMESTAMPTZ
    successful: BOOLEAN
    damage_dealt: FLOAT
    explosives_used: JSONB
    loot_taken: JSONB
    participants: JSONB`,
};

const SEED_ENUMS = `
  CREATE TYPE inventory_owner_type AS ENUM ('player', 'structure', 'vehicle', 'container', 'corpse');
  CREATE TYPE faction_rank AS ENUM ('leader', 'officer', 'member', 'recruit');
  CREATE TYPE body_part AS ENUM ('head', 'thorax', 'stomach', 'left_arm', 'right_arm', 'left_leg', 'right_leg');
  CREATE TYPE currency_type AS ENUM ('scrap', 'hqm', 'credits');
  CREATE TYPE market_location_type AS ENUM ('global', 'vending_machine', 'player_shop', 'safe_zone');
  CREATE TYPE transaction_type AS ENUM ('market_purchase', 'direct_trade', 'faction_bank', 'quest_reward');`;

// "Indices Criticos", idx_market_search as written there (corrected below).
const SEED_INDEXES = `
  CREATE INDEX idx_players_online ON players(is_online) WHERE is_online = true;
  CREATE INDEX idx_players_chunk ON players(chunk_x, chunk_z) WHERE is_online = true;
  CREATE INDEX idx_inventory_items_template ON inventory_items(item_template_id);
  CREATE INDEX idx_structures_upkeep ON structures(upkeep_paid_until) WHERE decay_protection = true;
  CREATE INDEX idx_world_events_active ON world_events(ends_at) WHERE completed = false;
  CREATE INDEX idx_players_faction ON players(faction_id);
  CREATE INDEX idx_market_search ON market_listings(item_template_id, price_per_unit) WHERE expires_at > NOW();
  CREATE INDEX idx_combat_recent ON combat_logs(created_at DESC);`;

// --- SPEC section 3, corrections and additions ------------------------------------------------

/** Primary keys of partitioned tables include the partition column (which makes it NOT NULL). */
const WIDENED_KEYS: Record<string, string[]> = {
  transactions: ['id', 'created_at'],
  combat_logs: ['id', 'created_at'],
  world_events: ['id', 'completed'],
};

/** The market keeps listing state so idx_market_search can have an immutable predicate. */
const MARKET_SEARCH_PREDICATE = "status = 'active'::listing_status";
const ADDED_ENUMS = `
  CREATE TYPE listing_status AS ENUM ('active', 'sold_out', 'cancelled', 'expired');
  CREATE TYPE trade_status AS ENUM ('open', 'executed', 'cancelled');`;
/** Labels appended to a seed enum: escrow and claim inventories of the market (issue 13). */
const ADDED_ENUM_LABELS: Record<string, string[]> = { inventory_owner_type: ['market'] };
const ADDED_COLUMNS: Record<string, string[]> = {
  market_listings: [
    `status: listing_status NOT NULL DEFAULT 'active'`,
    'item_id: UUID',
    'escrow_inventory_id: UUID',
    'listing_fee: BIGINT NOT NULL DEFAULT 0',
    'closed_at: TIMESTAMPTZ',
  ],
  players: ['server_id: UUID', 'linger_until: TIMESTAMPTZ', 'died_at: TIMESTAMPTZ'],
  transactions: ['trade_id: UUID', 'details: JSONB'],
  inventories: ['server_id: UUID', 'region: VARCHAR(32)'],
  structures: [
    'decay_applied_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()',
    'decay_per_hour: FLOAT NOT NULL DEFAULT 0',
  ],
  vehicles: ['last_decay_at: TIMESTAMPTZ'],
  territories: ['capturing_faction_id: UUID'],
  factions: [
    'disbanded_at: TIMESTAMPTZ',
    'webhook_disabled_at: TIMESTAMPTZ',
    'webhook_disabled_reason: TEXT',
    'webhook_failures: INTEGER NOT NULL DEFAULT 0',
  ],
  raid_logs: [
    'structure_snapshot: JSONB',
    'base_id: UUID',
    'cupboard_id: UUID',
    'last_damage_at: TIMESTAMPTZ',
    'offline_protected: BOOLEAN NOT NULL DEFAULT FALSE',
    'cupboard_destroyed: BOOLEAN NOT NULL DEFAULT FALSE',
    'storage_inventory_ids: UUID[]',
  ],
};
/** References of the seed that are gone: a raided structure can be destroyed (its raid keeps a snapshot). */
const REMOVED_REFERENCES = ['raid_logs.structure_id'];
const ADDED_REFERENCES: Record<string, string> = {
  'inventory_items.item_template_id': 'item_templates(id)',
  'players.server_id': 'game_servers(id)',
  'inventories.server_id': 'game_servers(id)',
};

const ADDED_TABLES: Record<string, string> = {
  item_templates: `
    id: VARCHAR(64) PRIMARY KEY
    name: VARCHAR(128) NOT NULL
    category: VARCHAR(32) NOT NULL
    width: SMALLINT NOT NULL
    height: SMALLINT NOT NULL
    max_stack: INTEGER NOT NULL DEFAULT 1
    weight: FLOAT NOT NULL DEFAULT 0
    max_durability: FLOAT
    stackable: BOOLEAN NOT NULL DEFAULT FALSE
    data: JSONB NOT NULL DEFAULT '{}'
    catalog_version: VARCHAR(32) NOT NULL`,
  item_ledger: `
    id: BIGSERIAL PRIMARY KEY
    item_id: UUID NOT NULL
    template_id: VARCHAR(64) NOT NULL
    from_inventory_id: UUID
    to_inventory_id: UUID
    quantity: INTEGER NOT NULL
    reason: VARCHAR(32) NOT NULL
    reference: VARCHAR(255)
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    operation: VARCHAR(16)
    related_item_id: UUID
    INDEX idx_item_ledger_item (item_id, created_at)
    INDEX idx_item_ledger_related (related_item_id, created_at)`,
  wallets: `
    player_id: UUID NOT NULL REFERENCES players(id)
    currency: currency_type NOT NULL
    balance: BIGINT NOT NULL DEFAULT 0
    PRIMARY KEY (player_id, currency)`,
  wallet_ledger: `
    id: BIGSERIAL PRIMARY KEY
    player_id: UUID NOT NULL
    currency: currency_type NOT NULL
    delta: BIGINT NOT NULL
    balance_after: BIGINT NOT NULL
    reason: VARCHAR(64) NOT NULL
    reference: VARCHAR(255)
    idempotency_key: VARCHAR(255) UNIQUE
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    INDEX idx_wallet_ledger_player (player_id, currency, created_at)`,
  outbox: `
    id: UUID PRIMARY KEY DEFAULT gen_random_uuid()
    subject: TEXT NOT NULL
    payload: JSONB NOT NULL
    headers: JSONB NOT NULL DEFAULT '{}'
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    published_at: TIMESTAMPTZ`,
  processed_events: `
    consumer: VARCHAR(128)
    event_id: UUID
    processed_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    PRIMARY KEY (consumer, event_id)`,
  idempotency_keys: `
    key: VARCHAR(255)
    principal: VARCHAR(128)
    request_hash: CHAR(64) NOT NULL
    response: JSONB
    status_code: INTEGER
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    PRIMARY KEY (principal, key)
    INDEX idx_idempotency_keys_created_at (created_at)`,
  account_totp: `
    account_id: UUID PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE
    secret: VARCHAR(255) NOT NULL
    enabled_at: TIMESTAMPTZ
    last_used_step: BIGINT
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()`,
  inventory_settings: `
    id: SMALLINT PRIMARY KEY DEFAULT 1
    max_items_per_server: BIGINT NOT NULL DEFAULT 1000000`,
  server_item_counts: `
    server_id: UUID PRIMARY KEY REFERENCES game_servers(id)
    items: BIGINT NOT NULL DEFAULT 0`,
  corpses: `
    inventory_id: UUID PRIMARY KEY REFERENCES inventories(id) ON DELETE CASCADE
    player_id: UUID NOT NULL
    position: JSONB NOT NULL
    chunk_x: INTEGER NOT NULL
    chunk_z: INTEGER NOT NULL
    expires_at: TIMESTAMPTZ NOT NULL
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    INDEX idx_corpses_expires (expires_at)
    INDEX idx_corpses_chunk (chunk_x, chunk_z)
    INDEX idx_corpses_player (player_id)`,
  loot_tables: `
    id: VARCHAR(64) PRIMARY KEY
    definition: JSONB NOT NULL
    version: VARCHAR(32) NOT NULL
    updated_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()`,
  loot_fills: `
    container_id: UUID NOT NULL REFERENCES inventories(id) ON DELETE CASCADE
    cycle: VARCHAR(64) NOT NULL
    table_id: VARCHAR(64) NOT NULL
    items: JSONB NOT NULL DEFAULT '[]'
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    PRIMARY KEY (container_id, cycle)`,
  game_servers: `
    id: UUID PRIMARY KEY DEFAULT gen_random_uuid()
    name: VARCHAR(64) NOT NULL
    region: VARCHAR(32) NOT NULL
    api_key_hash: CHAR(64) NOT NULL UNIQUE
    max_players: INTEGER NOT NULL DEFAULT 1000
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    revoked_at: TIMESTAMPTZ`,
  territory_resource_ledger: `
    id: BIGSERIAL PRIMARY KEY
    territory_id: UUID NOT NULL
    faction_id: UUID NOT NULL
    hour: TIMESTAMPTZ NOT NULL
    resources: JSONB NOT NULL
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    UNIQUE(territory_id, hour)
    INDEX idx_territory_resource_ledger_faction (faction_id, hour)`,
  world_event_spawns: `
    spawn_key: VARCHAR(160) PRIMARY KEY
    event_id: UUID NOT NULL
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()`,
  claims: `
    id: UUID PRIMARY KEY
    player_id: UUID NOT NULL REFERENCES players(id)
    inventory_id: UUID
    item_id: UUID
    item_template_id: VARCHAR(64)
    quantity: INTEGER
    currency: currency_type
    amount: BIGINT
    reason: VARCHAR(32) NOT NULL
    listing_id: UUID
    reference: VARCHAR(255)
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    collected_at: TIMESTAMPTZ
    collected_item: JSONB`,
  price_candles: `
    item_template_id: VARCHAR(64) NOT NULL
    currency: currency_type NOT NULL
    hour: TIMESTAMPTZ NOT NULL
    open: NUMERIC NOT NULL
    high: NUMERIC NOT NULL
    low: NUMERIC NOT NULL
    close: NUMERIC NOT NULL
    volume: BIGINT NOT NULL
    value: BIGINT NOT NULL
    trades: INTEGER NOT NULL
    PRIMARY KEY (item_template_id, currency, hour)`,
  price_stats: `
    item_template_id: VARCHAR(64) NOT NULL
    currency: currency_type NOT NULL
    average: NUMERIC
    volume: BIGINT NOT NULL
    trend: NUMERIC
    updated_at: TIMESTAMPTZ NOT NULL
    PRIMARY KEY (item_template_id, currency)`,
  price_runs: `
    singleton: BOOLEAN PRIMARY KEY DEFAULT TRUE
    computed_through: TIMESTAMPTZ NOT NULL`,
  trades: `
    id: UUID PRIMARY KEY
    server_id: UUID NOT NULL
    initiator_id: UUID NOT NULL REFERENCES players(id)
    partner_id: UUID NOT NULL REFERENCES players(id)
    status: trade_status NOT NULL DEFAULT 'open'
    initiator_accepted: BOOLEAN NOT NULL DEFAULT FALSE
    partner_accepted: BOOLEAN NOT NULL DEFAULT FALSE
    version: INTEGER NOT NULL DEFAULT 0
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    updated_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    closed_at: TIMESTAMPTZ
    close_reason: VARCHAR(32)`,
  trade_items: `
    trade_id: UUID NOT NULL REFERENCES trades(id)
    player_id: UUID NOT NULL
    offered_item_id: UUID NOT NULL
    item_id: UUID NOT NULL
    escrow_inventory_id: UUID NOT NULL
    item_template_id: VARCHAR(64) NOT NULL
    quantity: INTEGER NOT NULL
    PRIMARY KEY (trade_id, item_id)
    UNIQUE (trade_id, player_id, offered_item_id)`,
  trade_money: `
    trade_id: UUID NOT NULL REFERENCES trades(id)
    player_id: UUID NOT NULL
    currency: currency_type NOT NULL
    amount: BIGINT NOT NULL
    PRIMARY KEY (trade_id, player_id, currency)`,
  faction_invites: `
    faction_id: UUID NOT NULL REFERENCES factions(id) ON DELETE CASCADE
    player_id: UUID NOT NULL REFERENCES players(id) ON DELETE CASCADE
    invited_by: UUID NOT NULL
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    expires_at: TIMESTAMPTZ NOT NULL
    PRIMARY KEY (faction_id, player_id)
    INDEX idx_faction_invites_player (player_id)`,
  faction_ledger: `
    id: BIGSERIAL PRIMARY KEY
    faction_id: UUID NOT NULL
    player_id: UUID
    delta: BIGINT NOT NULL
    balance_after: BIGINT NOT NULL
    reason: VARCHAR(32) NOT NULL
    reference: VARCHAR(255)
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    INDEX idx_faction_ledger_faction (faction_id, id DESC)`,
  seasons: `
    id: UUID PRIMARY KEY
    name: VARCHAR(64) NOT NULL
    wipe: VARCHAR(8) NOT NULL
    started_at: TIMESTAMPTZ NOT NULL
    ended_at: TIMESTAMPTZ
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()`,
  leaderboard_archives: `
    season_id: UUID NOT NULL REFERENCES seasons(id)
    board: VARCHAR(16) NOT NULL
    rank: INTEGER NOT NULL
    entity_id: UUID NOT NULL
    name: VARCHAR(64) NOT NULL
    score: BIGINT NOT NULL
    PRIMARY KEY (season_id, board, entity_id)
    INDEX idx_leaderboard_archives_rank (season_id, board, rank, entity_id)`,
  raid_reputation: `
    raid_id: UUID PRIMARY KEY
    raider_faction_id: UUID
    defender_faction_id: UUID
    raider_gain: INTEGER NOT NULL
    defender_loss: INTEGER NOT NULL
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()`,
  raid_alert_bases: `
    base_id: UUID PRIMARY KEY
    last_alert_at: TIMESTAMPTZ NOT NULL`,
  alert_deliveries: `
    id: UUID PRIMARY KEY DEFAULT gen_random_uuid()
    faction_id: UUID NOT NULL REFERENCES factions(id) ON DELETE CASCADE
    raid_id: UUID NOT NULL
    base_id: UUID NOT NULL
    status: VARCHAR(16) NOT NULL
    attempts: INTEGER NOT NULL DEFAULT 0
    last_error: TEXT
    payload: JSONB NOT NULL
    created_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    updated_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    delivered_at: TIMESTAMPTZ
    UNIQUE (faction_id, raid_id)
    INDEX idx_alert_deliveries_faction (faction_id, created_at DESC)`,
  seen_hits: `
    hit_id: UUID PRIMARY KEY
    server_id: UUID NOT NULL
    applied: BOOLEAN NOT NULL
    seen_at: TIMESTAMPTZ NOT NULL DEFAULT NOW()
    INDEX idx_seen_hits_seen_at (seen_at)`,
};

const ADDED_INDEXES = `
  CREATE INDEX idx_vehicles_chunk ON vehicles(chunk_x, chunk_z);
  CREATE INDEX idx_vehicles_last_used ON vehicles(last_used);
  CREATE INDEX idx_outbox_unpublished ON outbox(created_at) WHERE published_at IS NULL;
  CREATE INDEX idx_outbox_published ON outbox(published_at) WHERE published_at IS NOT NULL;
  CREATE INDEX idx_processed_events_processed_at ON processed_events(processed_at);
  CREATE INDEX idx_players_server ON players(server_id) WHERE server_id IS NOT NULL;
  CREATE INDEX idx_combat_attacker_time ON combat_logs(attacker_id, created_at DESC, id DESC);
  CREATE INDEX idx_combat_victim_time ON combat_logs(victim_id, created_at DESC, id DESC);
  CREATE INDEX idx_inventories_server ON inventories(server_id) WHERE server_id IS NOT NULL;
  CREATE INDEX idx_structures_tool_cupboards ON structures(chunk_x, chunk_z) WHERE (structure_type)::text = 'tool_cupboard'::text;
  CREATE UNIQUE INDEX idx_accounts_username_lower ON accounts(lower(username::text));
  CREATE UNIQUE INDEX idx_accounts_email_lower ON accounts(lower(email::text));
  CREATE UNIQUE INDEX idx_players_character_name_lower ON players(lower(character_name::text));
  CREATE UNIQUE INDEX idx_raid_logs_open_base ON raid_logs(base_id) WHERE ended_at IS NULL;
  CREATE UNIQUE INDEX idx_seasons_current ON seasons((true)) WHERE ended_at IS NULL;
  CREATE INDEX idx_raid_logs_idle ON raid_logs(last_damage_at) WHERE ended_at IS NULL;
  CREATE INDEX idx_raid_logs_raider ON raid_logs(raider_faction_id, started_at DESC);
  CREATE INDEX idx_raid_logs_defender ON raid_logs(defender_faction_id, started_at DESC);
  CREATE INDEX idx_raid_logs_structure ON raid_logs(structure_id, started_at DESC);
  CREATE INDEX idx_item_ledger_from ON item_ledger(from_inventory_id, created_at) WHERE from_inventory_id IS NOT NULL;
  CREATE INDEX idx_market_listings_seller_active ON market_listings(seller_id) WHERE status = 'active'::listing_status;
  CREATE INDEX idx_market_listings_expiring ON market_listings(expires_at) WHERE status = 'active'::listing_status;
  CREATE INDEX idx_claims_player ON claims(player_id, created_at DESC, id DESC);
  CREATE INDEX idx_claims_open ON claims(player_id) WHERE collected_at IS NULL;
  CREATE INDEX idx_wallet_ledger_wallet_id ON wallet_ledger(player_id, currency, id DESC);
  CREATE INDEX idx_price_candles_hour ON price_candles(hour);
  CREATE INDEX idx_transactions_purchases_time ON transactions(created_at) WHERE transaction_type = 'market_purchase'::transaction_type;
  CREATE INDEX idx_transactions_trade ON transactions(trade_id) WHERE trade_id IS NOT NULL;
  CREATE INDEX idx_trades_open_idle ON trades(updated_at) WHERE status = 'open'::trade_status;
  CREATE INDEX idx_trades_initiator ON trades(initiator_id) WHERE status = 'open'::trade_status;
  CREATE INDEX idx_trades_partner ON trades(partner_id) WHERE status = 'open'::trade_status;
  CREATE UNIQUE INDEX idx_faction_members_player ON faction_members(player_id);
  CREATE INDEX idx_faction_ledger_withdrawals ON faction_ledger(faction_id, player_id, created_at) WHERE (reason)::text = 'withdraw'::text;`;

const HOT_TABLES = ['players', 'inventory_items', 'market_listings', 'structures'];

// --- a small parser for the notation above --------------------------------------------------

interface ColumnSpec {
  name: string;
  type: string;
  notNull: boolean;
  primaryKey: boolean;
  unique: boolean;
  default: string | null;
  references: { table: string; column: string; onDelete: string } | null;
}

interface IndexSpec {
  name: string;
  table: string;
  columns: string[];
  predicate: string | null;
}

interface TableSpec {
  name: string;
  columns: ColumnSpec[];
  primaryKey: string[];
  uniques: string[][];
  indexes: IndexSpec[];
}

const TYPE = /^(VARCHAR\(\d+\)|CHAR\(\d+\)|UUID\[\]|[A-Za-z_]+)/;
const MODIFIERS: [RegExp, (spec: ColumnSpec, match: RegExpMatchArray) => void][] = [
  [/^PRIMARY KEY/, (spec) => (spec.primaryKey = true)],
  [/^UNIQUE/, (spec) => (spec.unique = true)],
  [/^NOT NULL/, (spec) => (spec.notNull = true)],
  [/^DEFAULT ('[^']*'|\w+\(\)|[\w.]+)/, (spec, m) => (spec.default = m[1])],
  [
    /^REFERENCES (\w+)\((\w+)\)( ON DELETE CASCADE)?/,
    (spec, m) => (spec.references = { table: m[1], column: m[2], onDelete: m[3] ? 'CASCADE' : 'NO ACTION' }),
  ],
];

function parseColumn(line: string): ColumnSpec {
  const [, name, rest] = /^(\w+): (.*)$/.exec(line) ?? fail(`unreadable column line: ${line}`);
  const type = TYPE.exec(rest)?.[1] ?? fail(`no type in: ${line}`);
  const spec: ColumnSpec = {
    name,
    type,
    notNull: false,
    primaryKey: false,
    unique: false,
    default: null,
    references: null,
  };
  let tail = rest.slice(type.length).trim();
  while (tail) {
    const modifier =
      MODIFIERS.find(([pattern]) => pattern.test(tail)) ?? fail(`unknown "${tail}" in: ${line}`);
    const match = modifier[0].exec(tail) as RegExpMatchArray;
    modifier[1](spec, match);
    tail = tail.slice(match[0].length).trim();
  }
  return spec;
}

function parseTable(name: string, text: string): TableSpec {
  const table: TableSpec = { name, columns: [], primaryKey: [], uniques: [], indexes: [] };
  for (const line of lines(text)) {
    const key = /^PRIMARY KEY \((.*)\)$/.exec(line);
    const unique = /^UNIQUE\s?\((.*)\)$/.exec(line);
    const index = /^INDEX (\w+) \((.*)\)$/.exec(line);
    if (key) table.primaryKey = splitList(key[1]);
    else if (unique) table.uniques.push(splitList(unique[1]));
    else if (index)
      table.indexes.push({ name: index[1], table: name, columns: splitList(index[2]), predicate: null });
    else table.columns.push(parseColumn(line));
  }
  for (const column of table.columns) {
    if (column.primaryKey) table.primaryKey = [column.name];
    if (column.unique) table.uniques.push([column.name]);
  }
  return table;
}

function parseIndexes(sql: string): IndexSpec[] {
  return lines(sql).map((line) => {
    const m =
      /^CREATE (?:UNIQUE )?INDEX (\w+) ON (\w+)\((.*?)\)(?: WHERE (.*))?;$/.exec(line) ??
      fail(`unreadable index: ${line}`);
    return { name: m[1], table: m[2], columns: splitList(m[3]), predicate: m[4] ?? null };
  });
}

function parseEnums(sql: string): Map<string, string[]> {
  const enums = new Map<string, string[]>();
  for (const m of sql.matchAll(/CREATE TYPE (\w+) AS ENUM \(([^)]*)\);/g)) {
    enums.set(
      m[1],
      splitList(m[2]).map((label) => label.replace(/^'|'$/g, '')),
    );
  }
  return enums;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

function splitList(list: string): string[] {
  return list.split(',').map((item) => item.trim());
}

function fail(message: string): never {
  throw new Error(message);
}

/** Every table the database must have: the seed's, corrected, plus SPEC section 3's. */
function expectedTables(): Map<string, TableSpec> {
  const tables = new Map<string, TableSpec>();
  for (const [name, text] of Object.entries({ ...SEED_TABLES, ...ADDED_TABLES })) {
    tables.set(name, parseTable(name, text));
  }
  for (const [name, lines] of Object.entries(ADDED_COLUMNS)) {
    for (const line of lines) tables.get(name)!.columns.push(parseColumn(line));
  }
  for (const [column, target] of Object.entries(ADDED_REFERENCES)) {
    const [table, name] = column.split('.');
    const [, refTable, refColumn] = /^(\w+)\((\w+)\)$/.exec(target)!;
    tables.get(table)!.columns.find((c) => c.name === name)!.references = {
      table: refTable,
      column: refColumn,
      onDelete: 'NO ACTION',
    };
  }
  for (const column of REMOVED_REFERENCES) {
    const [table, name] = column.split('.');
    tables.get(table)!.columns.find((c) => c.name === name)!.references = null;
  }
  for (const [name, key] of Object.entries(WIDENED_KEYS)) tables.get(name)!.primaryKey = key;
  for (const index of [...parseIndexes(SEED_INDEXES), ...parseIndexes(ADDED_INDEXES)]) {
    if (index.name === 'idx_market_search') index.predicate = MARKET_SEARCH_PREDICATE;
    tables.get(index.table)!.indexes.push(index);
  }
  return tables;
}

// --- from the notation to what information_schema reports -----------------------------------

const TYPES: Record<string, [dataType: string, udtName: string]> = {
  UUID: ['uuid', 'uuid'],
  'UUID[]': ['ARRAY', '_uuid'],
  TEXT: ['text', 'text'],
  TIMESTAMPTZ: ['timestamp with time zone', 'timestamptz'],
  BOOLEAN: ['boolean', 'bool'],
  SMALLINT: ['smallint', 'int2'],
  INTEGER: ['integer', 'int4'],
  BIGINT: ['bigint', 'int8'],
  BIGSERIAL: ['bigint', 'int8'],
  FLOAT: ['double precision', 'float8'],
  BYTEA: ['bytea', 'bytea'],
  JSONB: ['jsonb', 'jsonb'],
  NUMERIC: ['numeric', 'numeric'],
};

type ExpectedColumn = Omit<CatalogColumn, 'table'>;

function expectedColumn(table: TableSpec, column: ColumnSpec, enums: Map<string, string[]>): ExpectedColumn {
  const sized = /^(VARCHAR|CHAR)\((\d+)\)$/.exec(column.type);
  let dataType: string;
  let udtName: string;
  if (sized)
    [dataType, udtName] = sized[1] === 'VARCHAR' ? ['character varying', 'varchar'] : ['character', 'bpchar'];
  else if (TYPES[column.type]) [dataType, udtName] = TYPES[column.type];
  else if (enums.has(column.type)) [dataType, udtName] = ['USER-DEFINED', column.type];
  else fail(`${table.name}.${column.name}: unknown type ${column.type}`);
  return {
    name: column.name,
    dataType,
    udtName,
    maxLength: sized ? Number(sized[2]) : null,
    datetimePrecision: column.type === 'TIMESTAMPTZ' ? 6 : null,
    nullable: !(column.notNull || column.primaryKey || table.primaryKey.includes(column.name)),
    default: expectedDefault(table, column, udtName),
  };
}

function expectedDefault(table: TableSpec, column: ColumnSpec, udtName: string): string | null {
  if (column.type === 'BIGSERIAL') return `nextval('${table.name}_${column.name}_seq'::regclass)`;
  const value = column.default;
  if (value === null) return null;
  if (value.startsWith("'")) return `${value}::${udtName}`;
  if (/^(NOW|TRUE|FALSE)/.test(value)) return value.toLowerCase();
  return value;
}

// --- the test -------------------------------------------------------------------------------

/** Names of the month (UTC) `offset` months from now, as ensure_partitions() names them. */
function monthPartition(offset: number): string {
  const now = new Date();
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return `combat_logs_${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

function monthStart(offset: number): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
}

describe('the migrated database matches the seed and SPEC section 3', () => {
  const tables = expectedTables();
  const enums = new Map(
    [...parseEnums(SEED_ENUMS), ...parseEnums(ADDED_ENUMS)].map(([name, labels]) => [
      name,
      [...labels, ...(ADDED_ENUM_LABELS[name] ?? [])],
    ]),
  );
  let database: { url: string; drop: () => Promise<void> };
  let client: Client;
  let catalog: Catalog;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
    catalog = await readCatalog(client);
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('the transcription itself is complete (17 seed tables, 6 seed enums, 8 critical indexes)', () => {
    assert.equal(Object.keys(SEED_TABLES).length, 17);
    assert.equal(parseEnums(SEED_ENUMS).size, 6);
    assert.equal(parseIndexes(SEED_INDEXES).length, 8);
  });

  it('has every table, and no table outside the seed and SPEC additions', () => {
    const actual = catalog.tables
      .filter((t) => !t.partitionOf && t.name !== '_prisma_migrations')
      .map((t) => t.name);
    assert.deepEqual(actual.sort(), [...tables.keys()].sort());
  });

  it('partitions combat_logs and transactions by range and world_events by list', () => {
    const partitioned = catalog.tables.filter((t) => t.partitioned).map((t) => t.name);
    assert.deepEqual(partitioned.sort(), ['combat_logs', 'transactions', 'world_events']);
  });

  it('has every column with its type, default and nullability', () => {
    for (const table of tables.values()) {
      const actual = catalog.columns
        .filter((c) => c.table === table.name)
        .map(({ table: _t, ...column }) => column);
      const expected = table.columns.map((column) => expectedColumn(table, column, enums));
      assert.deepEqual(actual, expected, `columns of ${table.name}`);
    }
  });

  it('has every primary key', () => {
    for (const table of tables.values()) {
      const keys = catalog.constraints.filter((c) => c.table === table.name && c.kind === 'primary');
      assert.deepEqual(
        keys.map((k) => k.columns),
        [table.primaryKey],
        `primary key of ${table.name}`,
      );
    }
  });

  it('has every foreign key with its ON DELETE action, and no other', () => {
    for (const table of tables.values()) {
      const actual = catalog.constraints
        .filter((c) => c.table === table.name && c.kind === 'foreign')
        .map(
          (c) => `${c.columns.join(',')} -> ${c.refTable}(${c.refColumns.join(',')}) ON DELETE ${c.onDelete}`,
        )
        .sort();
      const expected = table.columns
        .filter((c) => c.references)
        .map(
          (c) =>
            `${c.name} -> ${c.references!.table}(${c.references!.column}) ON DELETE ${c.references!.onDelete}`,
        )
        .sort();
      assert.deepEqual(actual, expected, `foreign keys of ${table.name}`);
    }
  });

  it('has every UNIQUE constraint, and no other', () => {
    for (const table of tables.values()) {
      const actual = catalog.constraints
        .filter((c) => c.table === table.name && c.kind === 'unique')
        .map((c) => c.columns.join(','));
      assert.deepEqual(
        actual.sort(),
        table.uniques.map((u) => u.join(',')).sort(),
        `unique constraints of ${table.name}`,
      );
    }
  });

  it('has every enum with its labels in order', () => {
    assert.deepEqual(new Map(catalog.enums.map((e) => [e.name, e.labels])), enums);
  });

  it('has every named index with its columns and predicate, and no unnamed extra', () => {
    const constraintNames = new Set(catalog.constraints.map((c) => c.name));
    for (const table of tables.values()) {
      const actual = catalog.indexes
        .filter((i) => i.table === table.name && !constraintNames.has(i.name))
        .map((i) => ({ name: i.name, columns: i.columns, predicate: i.predicate }))
        .sort((a, b) => a.name.localeCompare(b.name));
      const expected = table.indexes
        .map((i) => ({ name: i.name, columns: i.columns, predicate: i.predicate && `(${i.predicate})` }))
        .sort((a, b) => a.name.localeCompare(b.name));
      assert.deepEqual(actual, expected, `indexes of ${table.name}`);
    }
  });

  describe('idx_market_search', () => {
    it('uses an immutable predicate on the listing state', () => {
      const index =
        catalog.indexes.find((i) => i.name === 'idx_market_search') ?? fail('idx_market_search is missing');
      assert.equal(index.predicate, `(${MARKET_SEARCH_PREDICATE})`);
      assert.doesNotMatch(index.definition, /now\(\)/i);
    });

    it('replaces a predicate PostgreSQL refuses (the seed one)', async () => {
      await client.query('BEGIN');
      try {
        await assert.rejects(
          client.query(
            'CREATE INDEX seed_market_search ON market_listings(item_template_id, price_per_unit) WHERE expires_at > NOW()',
          ),
          /IMMUTABLE/,
        );
      } finally {
        await client.query('ROLLBACK');
      }
    });

    it('serves a price search on active listings', async () => {
      await client.query('BEGIN');
      try {
        await client.query('SET LOCAL enable_seqscan = off');
        const plan = await explain(
          client,
          `SELECT id FROM market_listings WHERE item_template_id = 'rifle.ak' AND status = 'active'
            ORDER BY price_per_unit LIMIT 20`,
        );
        assert.ok(indexNames(plan).includes('idx_market_search'), JSON.stringify(plan));
      } finally {
        await client.query('ROLLBACK');
      }
    });
  });

  describe('partitions', () => {
    it('a combat_logs query bounded to one month touches exactly one partition', async () => {
      const monthQuery = `SELECT * FROM combat_logs WHERE created_at >= $1 AND created_at < $2`;
      const bounded = await explain(client, monthQuery, [monthStart(1), monthStart(2)]);
      assert.deepEqual(relationNames(bounded), [monthPartition(1)]);
      const unbounded = await explain(client, 'SELECT * FROM combat_logs');
      assert.ok(relationNames(unbounded).length > 1, 'without a bound every partition is scanned');
    });

    it('world_events rows move between partitions when completed flips', async () => {
      const id = randomUUID();
      await client.query(
        `INSERT INTO world_events (id, event_type, location, chunk_x, chunk_z, data, ends_at)
         VALUES ($1, 'airdrop', '{"x":0,"y":0,"z":0,"radius":50}', 0, 0, '{}', now() + interval '1 hour')`,
        [id],
      );
      assert.equal(await partitionOf(client, 'world_events', id), 'world_events_active');
      await client.query('UPDATE world_events SET completed = true WHERE id = $1', [id]);
      assert.equal(await partitionOf(client, 'world_events', id), 'world_events_completed');
    });

    it('ensure_partitions() has created this month and the next 3, and the years they fall in', () => {
      const names = new Set(catalog.tables.map((t) => t.name));
      for (let offset = 0; offset <= 3; offset += 1) {
        assert.ok(names.has(monthPartition(offset)), monthPartition(offset));
        assert.ok(names.has(`transactions_${monthStart(offset).getUTCFullYear()}`));
      }
      assert.ok(!names.has(monthPartition(4)), 'no partition beyond months_ahead');
      assert.ok(names.has('combat_logs_default') && names.has('transactions_default'));
    });

    it('ensure_partitions() is idempotent and extends the window on demand', async () => {
      assert.deepEqual(await ensurePartitions(client), []);
      const created = await ensurePartitions(client, 5);
      assert.deepEqual(
        created.filter((n) => n.startsWith('combat_logs')),
        [monthPartition(4), monthPartition(5)],
      );
      assert.deepEqual(await ensurePartitions(client, 5), []);
    });

    it('writes beyond the window land in the default partition and move when their month is created', async () => {
      const id = randomUUID();
      const when = new Date(monthStart(9).getTime() + 86_400_000);
      await client.query(
        `INSERT INTO combat_logs (id, damage, hit_location, created_at) VALUES ($1, 12.5, 'head', $2)`,
        [id, when],
      );
      assert.equal(await partitionOf(client, 'combat_logs', id), 'combat_logs_default');
      await ensurePartitions(client, 9);
      assert.equal(await partitionOf(client, 'combat_logs', id), monthPartition(9));
    });
  });

  it('sets aggressive autovacuum on the four hot tables only', () => {
    for (const table of catalog.tables.filter((t) => !t.partitionOf)) {
      const options = table.options;
      const hot = HOT_TABLES.includes(table.name);
      assert.equal(options.includes('autovacuum_vacuum_scale_factor=0.02'), hot, `${table.name} vacuum`);
      assert.equal(options.includes('autovacuum_analyze_scale_factor=0.01'), hot, `${table.name} analyze`);
    }
  });

  describe('money and item invariants', () => {
    it('refuses a negative wallet balance and a server over 1,000 players', async () => {
      await assert.rejects(
        client.query(`INSERT INTO wallets (player_id, currency, balance) VALUES ($1, 'scrap', -1)`, [
          randomUUID(),
        ]),
        /wallets_balance_check/,
      );
      await assert.rejects(
        client.query(
          `INSERT INTO game_servers (name, region, api_key_hash, max_players) VALUES ('eu-1', 'eu', repeat('a', 64), 1001)`,
        ),
        /game_servers_max_players_check/,
      );
    });

    it('keeps both ledgers append-only', async () => {
      await client.query(
        `INSERT INTO wallet_ledger (player_id, currency, delta, balance_after, reason) VALUES ($1, 'scrap', 100, 100, 'test')`,
        [randomUUID()],
      );
      await client.query(
        `INSERT INTO item_ledger (item_id, template_id, to_inventory_id, quantity, reason) VALUES ($1, 'rock', $1, 1, 'test')`,
        [randomUUID()],
      );
      for (const table of ['wallet_ledger', 'item_ledger']) {
        await assert.rejects(client.query(`UPDATE ${table} SET reference = 'x'`), /append-only/);
        await assert.rejects(client.query(`DELETE FROM ${table}`), /append-only/);
        await assert.rejects(client.query(`TRUNCATE ${table}`), /append-only/);
      }
    });
  });
});

type Plan = Record<string, unknown>;

async function explain(client: Client, sql: string, params: unknown[] = []): Promise<Plan> {
  const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  return rows[0]['QUERY PLAN'][0].Plan;
}

function planNodes(plan: Plan): Plan[] {
  const children = (plan.Plans as Plan[] | undefined) ?? [];
  return [plan, ...children.flatMap(planNodes)];
}

function relationNames(plan: Plan): string[] {
  return planNodes(plan).flatMap((node) => (node['Relation Name'] ? [node['Relation Name'] as string] : []));
}

function indexNames(plan: Plan): string[] {
  return planNodes(plan).flatMap((node) => (node['Index Name'] ? [node['Index Name'] as string] : []));
}

async function partitionOf(client: Client, table: string, id: string): Promise<string> {
  const { rows } = await client.query(`SELECT tableoid::regclass::text AS part FROM ${table} WHERE id = $1`, [
    id,
  ]);
  return rows[0]?.part;
}

async function ensurePartitions(client: Client, monthsAhead?: number): Promise<string[]> {
  const { rows } =
    monthsAhead === undefined
      ? await client.query('SELECT ensure_partitions() AS name')
      : await client.query('SELECT ensure_partitions($1) AS name', [monthsAhead]);
  return rows.map((row) => row.name);
}
