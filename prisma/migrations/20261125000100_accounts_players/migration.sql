-- Accounts and characters ("Cuentas y Jugadores").
-- Ids have no default: the accounts service mints shard-aware ids (SPEC section 11).

CREATE TABLE accounts (
    id                 UUID PRIMARY KEY,
    username           VARCHAR(32) UNIQUE NOT NULL,
    email              VARCHAR(255) UNIQUE NOT NULL,
    password_hash      VARCHAR(255) NOT NULL,
    created_at         TIMESTAMPTZ DEFAULT NOW(),
    last_login         TIMESTAMPTZ,
    banned             BOOLEAN DEFAULT FALSE,
    ban_reason         TEXT,
    ban_expires        TIMESTAMPTZ,
    two_factor_enabled BOOLEAN DEFAULT FALSE,
    premium_expires    TIMESTAMPTZ
);

-- faction_id gets its foreign key in the factions migration: factions.leader_id points back at
-- players, so one of the two tables has to exist before the other.
CREATE TABLE players (
    id               UUID PRIMARY KEY,
    account_id       UUID REFERENCES accounts(id),
    character_name   VARCHAR(32) UNIQUE NOT NULL,
    position         JSONB NOT NULL,
    rotation         JSONB NOT NULL,
    chunk_x          INTEGER NOT NULL,
    chunk_z          INTEGER NOT NULL,
    health           JSONB NOT NULL,
    stats            JSONB NOT NULL,
    faction_id       UUID,
    playtime_seconds BIGINT DEFAULT 0,
    created_at       TIMESTAMPTZ DEFAULT NOW(),
    last_seen        TIMESTAMPTZ DEFAULT NOW(),
    is_online        BOOLEAN DEFAULT FALSE
);

CREATE INDEX idx_players_online ON players(is_online) WHERE is_online = true;
CREATE INDEX idx_players_chunk ON players(chunk_x, chunk_z) WHERE is_online = true;
CREATE INDEX idx_players_faction ON players(faction_id);

CREATE TABLE player_stats (
    player_id          UUID PRIMARY KEY REFERENCES players(id),
    kills_players      INTEGER DEFAULT 0,
    kills_npcs         INTEGER DEFAULT 0,
    deaths             INTEGER DEFAULT 0,
    distance_traveled  FLOAT DEFAULT 0,
    shots_fired        INTEGER DEFAULT 0,
    shots_hit          INTEGER DEFAULT 0,
    damage_dealt       FLOAT DEFAULT 0,
    damage_received    FLOAT DEFAULT 0,
    items_crafted      INTEGER DEFAULT 0,
    buildings_placed   INTEGER DEFAULT 0,
    resources_gathered JSONB DEFAULT '{}'
);
