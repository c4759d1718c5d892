-- Trade history, world events, combat and raid logs ("Eventos y Logs"), with the seed's
-- partitioning ("Particionamiento", SPEC section 3):
--   transactions  RANGE (created_at), one partition per year  + transactions_default
--   combat_logs   RANGE (created_at), one partition per month + combat_logs_default
--   world_events  LIST (completed): world_events_active, world_events_completed
-- A primary key of a partitioned table must contain the partition column, so these keys widen to
-- (id, created_at) and (id, completed), which makes those columns NOT NULL. Nothing references
-- these tables, so no foreign key has to carry the wider key.

CREATE TABLE transactions (
    id               UUID NOT NULL,
    buyer_id         UUID REFERENCES players(id),
    seller_id        UUID REFERENCES players(id),
    listing_id       UUID REFERENCES market_listings(id),
    item_template_id VARCHAR(64) NOT NULL,
    quantity         INTEGER NOT NULL,
    total_price      BIGINT NOT NULL,
    currency         currency_type DEFAULT 'scrap',
    transaction_type transaction_type NOT NULL,
    location         JSONB,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

-- Rows outside every dated partition land here, so a late partition job never fails a write.
CREATE TABLE transactions_default PARTITION OF transactions DEFAULT;

CREATE TABLE world_events (
    id           UUID NOT NULL,
    event_type   VARCHAR(64) NOT NULL,
    name         VARCHAR(128),
    description  TEXT,
    location     JSONB NOT NULL,
    chunk_x      INTEGER NOT NULL,
    chunk_z      INTEGER NOT NULL,
    participants UUID[],
    rewards      JSONB,
    data         JSONB NOT NULL,
    started_at   TIMESTAMPTZ DEFAULT NOW(),
    ends_at      TIMESTAMPTZ NOT NULL,
    completed    BOOLEAN NOT NULL DEFAULT FALSE,
    winner_id    UUID REFERENCES players(id),
    PRIMARY KEY (id, completed)
) PARTITION BY LIST (completed);

-- UPDATE ... SET completed = true moves the row from active to completed (PostgreSQL 11+).
CREATE TABLE world_events_active PARTITION OF world_events FOR VALUES IN (false);
CREATE TABLE world_events_completed PARTITION OF world_events FOR VALUES IN (true);

CREATE INDEX idx_world_events_active ON world_events(ends_at) WHERE completed = false;

CREATE TABLE combat_logs (
    id                UUID NOT NULL,
    attacker_id       UUID REFERENCES players(id),
    victim_id         UUID REFERENCES players(id),
    weapon_id         VARCHAR(64),
    ammo_type         VARCHAR(64),
    damage            FLOAT NOT NULL,
    hit_location      body_part NOT NULL,
    distance          FLOAT,
    headshot          BOOLEAN DEFAULT FALSE,
    killing_blow      BOOLEAN DEFAULT FALSE,
    position_attacker JSONB,
    position_victim   JSONB,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE TABLE combat_logs_default PARTITION OF combat_logs DEFAULT;

-- Created on the parents, so every present and future partition gets them.
CREATE INDEX idx_combat_time ON combat_logs(created_at DESC);
CREATE INDEX idx_combat_players ON combat_logs(attacker_id, victim_id);
-- Same definition as idx_combat_time; the seed names both, and code may hint either name.
CREATE INDEX idx_combat_recent ON combat_logs(created_at DESC);

CREATE TABLE raid_logs (
    id                  UUID PRIMARY KEY,
    structure_id        UUID REFERENCES structures(id),
    raider_faction_id   UUID REFERENCES factions(id),
    defender_faction_id UUID REFERENCES factions(id),
    started_at          TIMESTAMPTZ DEFAULT NOW(),
    ended_at            TIMESTAMPTZ,
    successful          BOOLEAN,
    damage_dealt        FLOAT,
    explosives_used     JSONB,
    loot_taken          JSONB,
    participants        JSONB
);

-- Adds the partition [lo, hi) of a table partitioned by RANGE (created_at) unless it exists.
-- Rows that already fell into the default partition for that range are moved first: PostgreSQL
-- refuses a new partition whose rows the default partition holds. Building the table aside and
-- attaching it locks the parent less than CREATE TABLE ... PARTITION OF would.
CREATE FUNCTION ensure_range_partition(parent text, part text, lo timestamptz, hi timestamptz)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass(part) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
    EXECUTE format(
        'WITH moved AS (DELETE FROM %I WHERE created_at >= $1 AND created_at < $2 RETURNING *) '
        'INSERT INTO %I SELECT * FROM moved',
        parent || '_default', part)
        USING lo, hi;
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lo, hi);
    RETURN true;
END;
$$;

-- Creates the combat_logs partitions of the current month and the next months_ahead months, and
-- the transactions partitions of the years those months fall in (months are UTC calendar months).
-- Idempotent; returns the partitions it created. Called by the partition job, never on the write
-- path (SPEC section 3).
CREATE FUNCTION ensure_partitions(months_ahead integer DEFAULT 3)
RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    this_month  timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
    month_start timestamp;
    year_start  timestamp;
    part        text;
BEGIN
    IF months_ahead IS NULL OR months_ahead < 0 THEN
        RAISE EXCEPTION 'months_ahead must be >= 0, got %', months_ahead;
    END IF;
    -- Two concurrent runs would both see a partition missing; the second would then fail.
    PERFORM pg_advisory_xact_lock(hashtext('ensure_partitions'));
    IF to_regclass('combat_logs_default') IS NULL THEN
        CREATE TABLE combat_logs_default PARTITION OF combat_logs DEFAULT;
        RETURN NEXT 'combat_logs_default';
    END IF;
    IF to_regclass('transactions_default') IS NULL THEN
        CREATE TABLE transactions_default PARTITION OF transactions DEFAULT;
        RETURN NEXT 'transactions_default';
    END IF;
    FOR i IN 0..months_ahead LOOP
        month_start := this_month + make_interval(months => i);
        part := 'combat_logs_' || to_char(month_start, 'YYYY_MM');
        IF ensure_range_partition('combat_logs', part, month_start AT TIME ZONE 'UTC',
                                  (month_start + interval '1 month') AT TIME ZONE 'UTC') THEN
            RETURN NEXT part;
        END IF;
        year_start := date_trunc('year', month_start);
        part := 'transactions_' || to_char(year_start, 'YYYY');
        IF ensure_range_partition('transactions', part, year_start AT TIME ZONE 'UTC',
                                  (year_start + interval '1 year') AT TIME ZONE 'UTC') THEN
            RETURN NEXT part;
        END IF;
    END LOOP;
END;
$$;

SELECT ensure_partitions();
