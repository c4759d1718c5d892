-- Seasons (issue 15): the seasons service's schema and role, its seasons and the frozen boards of
-- ended seasons, and the reads it needs to compute the leaderboards from their owners' tables.

CREATE SCHEMA IF NOT EXISTS seasons;

-- The service's role, created as the owner_schemas migration creates the others: cluster-wide,
-- perhaps by another database's migration at the same moment.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tn1_seasons') THEN
        BEGIN
            CREATE ROLE tn1_seasons LOGIN;
            ALTER ROLE tn1_seasons SET search_path = seasons, platform, public;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- a concurrent migration of another database created it first
        END;
    END IF;
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'tn1_seasons', 'MEMBER') THEN
        GRANT tn1_seasons TO CURRENT_USER;
    END IF;
END;
$$;

-- One row per season; exactly one has ended_at NULL (the current one).
CREATE TABLE seasons.seasons (
    id         uuid PRIMARY KEY,
    name       varchar(64) NOT NULL,
    wipe       varchar(8) NOT NULL CHECK (wipe IN ('none', 'map', 'full')),
    started_at timestamptz NOT NULL,
    ended_at   timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX idx_seasons_current ON seasons.seasons ((true)) WHERE ended_at IS NULL;

-- The standings of every board when its season ended, one row per entry.
CREATE TABLE seasons.leaderboard_archives (
    season_id uuid NOT NULL REFERENCES seasons.seasons (id),
    board     varchar(16) NOT NULL,
    rank      integer NOT NULL CHECK (rank >= 1),
    entity_id uuid NOT NULL,
    name      varchar(64) NOT NULL,
    score     bigint NOT NULL,
    PRIMARY KEY (season_id, board, entity_id)
);
CREATE INDEX idx_leaderboard_archives_rank ON seasons.leaderboard_archives (season_id, board, rank, entity_id);

-- The first season: the world as it is when the service arrives.
INSERT INTO seasons.seasons (id, name, wipe, started_at)
VALUES ('00000000-0000-4000-8000-000000000001', 'Season 1', 'none', now());

-- Own schema: tables, sequences and functions, today's and later ones (default privileges).
GRANT USAGE ON SCHEMA seasons TO tn1_seasons;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA seasons TO tn1_seasons;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA seasons TO tn1_seasons;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA seasons TO tn1_seasons;
ALTER DEFAULT PRIVILEGES IN SCHEMA seasons GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tn1_seasons;
ALTER DEFAULT PRIVILEGES IN SCHEMA seasons GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO tn1_seasons;
ALTER DEFAULT PRIVILEGES IN SCHEMA seasons GRANT EXECUTE ON FUNCTIONS TO tn1_seasons;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA seasons FROM PUBLIC;

-- Its events, its consumers' marks and its idempotency records.
GRANT USAGE ON SCHEMA platform TO tn1_seasons;
GRANT SELECT, INSERT, UPDATE, DELETE ON platform.outbox, platform.processed_events, platform.idempotency_keys
    TO tn1_seasons;

-- The scores' sources, read only (docs/leaderboards.md "Formulas"): names and playtime, kills,
-- wallets, factions with their members, territories and raids.
GRANT USAGE ON SCHEMA accounts, combat, market, factions, world TO tn1_seasons;
GRANT SELECT ON accounts.players, combat.combat_logs, market.wallets, factions.factions,
    factions.faction_members, world.territories, combat.raid_logs TO tn1_seasons;
