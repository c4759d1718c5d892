-- Chunks, player structures and vehicles ("Mundo y Estructuras", "Vehiculos").

CREATE TABLE world_chunks (
    x              INTEGER NOT NULL,
    z              INTEGER NOT NULL,
    biome_type     VARCHAR(32) NOT NULL,
    terrain_data   BYTEA,
    resource_nodes JSONB,
    last_loaded    TIMESTAMPTZ,
    last_modified  TIMESTAMPTZ DEFAULT NOW(),
    PRIMARY KEY (x, z)
);

CREATE TABLE structures (
    id                UUID PRIMARY KEY,
    chunk_x           INTEGER NOT NULL,
    chunk_z           INTEGER NOT NULL,
    position          JSONB NOT NULL,
    rotation          JSONB NOT NULL,
    structure_type    VARCHAR(64) NOT NULL,
    owner_id          UUID REFERENCES players(id),
    faction_id        UUID REFERENCES factions(id),
    health            FLOAT NOT NULL,
    max_health        FLOAT NOT NULL,
    build_data        JSONB NOT NULL,
    permissions       JSONB NOT NULL,
    upkeep_paid_until TIMESTAMPTZ,
    decay_protection  BOOLEAN DEFAULT TRUE,
    created_at        TIMESTAMPTZ DEFAULT NOW(),
    last_damaged      TIMESTAMPTZ
);

CREATE INDEX idx_structures_chunk ON structures(chunk_x, chunk_z);
CREATE INDEX idx_structures_owner ON structures(owner_id);
CREATE INDEX idx_structures_upkeep ON structures(upkeep_paid_until) WHERE decay_protection = true;

CREATE TABLE structure_storage (
    structure_id       UUID PRIMARY KEY REFERENCES structures(id),
    inventory_id       UUID REFERENCES inventories(id),
    authorized_players UUID[],
    tc_range           FLOAT DEFAULT 30.0
);

CREATE TABLE vehicles (
    id            UUID PRIMARY KEY,
    template_id   VARCHAR(64) NOT NULL,
    position      JSONB NOT NULL,
    rotation      JSONB NOT NULL,
    chunk_x       INTEGER NOT NULL,
    chunk_z       INTEGER NOT NULL,
    owner_id      UUID REFERENCES players(id),
    faction_id    UUID REFERENCES factions(id),
    fuel_current  FLOAT NOT NULL,
    fuel_max      FLOAT NOT NULL,
    health        FLOAT NOT NULL,
    max_health    FLOAT NOT NULL,
    engine_damage FLOAT DEFAULT 0,
    tire_damage   JSONB,
    modifications JSONB,
    inventory_id  UUID REFERENCES inventories(id),
    locked        BOOLEAN DEFAULT FALSE,
    key_code      VARCHAR(10),
    last_used     TIMESTAMPTZ DEFAULT NOW(),
    created_at    TIMESTAMPTZ DEFAULT NOW()
);
