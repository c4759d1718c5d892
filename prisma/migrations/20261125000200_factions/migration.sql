-- Clans and territories ("Clanes y Territorios").

CREATE TABLE factions (
    id              UUID PRIMARY KEY,
    name            VARCHAR(64) UNIQUE NOT NULL,
    tag             VARCHAR(8) UNIQUE NOT NULL,
    description     TEXT,
    leader_id       UUID REFERENCES players(id),
    treasury        BIGINT DEFAULT 0,
    reputation      INTEGER DEFAULT 0,
    color           CHAR(7),
    discord_webhook TEXT,
    created_at      TIMESTAMPTZ DEFAULT NOW(),
    member_count    INTEGER DEFAULT 1,
    max_members     INTEGER DEFAULT 50
);

ALTER TABLE players
    ADD CONSTRAINT players_faction_id_fkey FOREIGN KEY (faction_id) REFERENCES factions(id);

CREATE TABLE faction_members (
    faction_id          UUID REFERENCES factions(id) ON DELETE CASCADE,
    player_id           UUID REFERENCES players(id) ON DELETE CASCADE,
    rank                faction_rank NOT NULL,
    permissions         JSONB NOT NULL,
    joined_at           TIMESTAMPTZ DEFAULT NOW(),
    last_online         TIMESTAMPTZ DEFAULT NOW(),
    contribution_points INTEGER DEFAULT 0,
    PRIMARY KEY (faction_id, player_id)
);

CREATE TABLE territories (
    id                  UUID PRIMARY KEY,
    name                VARCHAR(64) NOT NULL,
    center_x            FLOAT NOT NULL,
    center_z            FLOAT NOT NULL,
    radius              FLOAT NOT NULL,
    owner_faction_id    UUID REFERENCES factions(id),
    captured_at         TIMESTAMPTZ,
    capture_points      INTEGER DEFAULT 0,
    max_capture_points  INTEGER DEFAULT 100,
    resources_generated JSONB,
    under_attack        BOOLEAN DEFAULT FALSE,
    last_attacked       TIMESTAMPTZ,
    building_allowed    BOOLEAN DEFAULT TRUE
);
