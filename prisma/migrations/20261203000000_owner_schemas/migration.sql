-- Ownership made physical (SPEC section 1, docs/architecture.md "Data ownership"): one schema per
-- owning service, every table, partition, enum and function moved into its owner's schema, and one
-- LOGIN role per app that may change only its own schema. Another owner's tables change only
-- through that owner's published functions (SECURITY DEFINER, defined with their grants in
-- prisma/sql/<owner>/). public keeps the migration history tables only.

CREATE SCHEMA IF NOT EXISTS platform;
CREATE SCHEMA IF NOT EXISTS accounts;
CREATE SCHEMA IF NOT EXISTS inventory;
CREATE SCHEMA IF NOT EXISTS world;
CREATE SCHEMA IF NOT EXISTS combat;
CREATE SCHEMA IF NOT EXISTS market;
CREATE SCHEMA IF NOT EXISTS factions;

-- Roles are cluster-wide: another database on the server (a test file's, a shard) may have created
-- them already, or be creating them right now; either way is fine. No password here: trust or
-- the operator's secrets provide it (docs/database.md "Roles and grants"). A migrator that is not
-- a superuser is made a member of each role, so it may hand the published functions to their
-- owners.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT * FROM (VALUES ('tn1_gateway', 'public'),
                              ('tn1_accounts', 'accounts, platform, public'),
                              ('tn1_inventory', 'inventory, platform, public'),
                              ('tn1_world', 'world, platform, public'),
                              ('tn1_combat', 'combat, platform, public'),
                              ('tn1_market', 'market, platform, public'),
                              ('tn1_factions', 'factions, platform, public'),
                              ('tn1_worker', 'platform, public')) AS roles(name, search_path)
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I LOGIN', r.name);
                EXECUTE format('ALTER ROLE %I SET search_path = %s', r.name, r.search_path);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- a concurrent migration of another database created it first
            END;
        END IF;
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
           AND NOT pg_has_role(current_user, r.name, 'MEMBER') THEN
            EXECUTE format('GRANT %I TO %I', r.name, current_user);
        END IF;
    END LOOP;
END;
$$;

-- Tables, by owner. Indexes, constraints, triggers and owned sequences move with their table.
ALTER TABLE public.outbox SET SCHEMA platform;
ALTER TABLE public.processed_events SET SCHEMA platform;
ALTER TABLE public.idempotency_keys SET SCHEMA platform;

ALTER TABLE public.accounts SET SCHEMA accounts;
ALTER TABLE public.account_totp SET SCHEMA accounts;
ALTER TABLE public.players SET SCHEMA accounts;
ALTER TABLE public.player_stats SET SCHEMA accounts;
ALTER TABLE public.game_servers SET SCHEMA accounts;

ALTER TABLE public.item_templates SET SCHEMA inventory;
ALTER TABLE public.inventories SET SCHEMA inventory;
ALTER TABLE public.inventory_items SET SCHEMA inventory;
ALTER TABLE public.item_ledger SET SCHEMA inventory;
ALTER TABLE public.inventory_settings SET SCHEMA inventory;
ALTER TABLE public.server_item_counts SET SCHEMA inventory;
ALTER TABLE public.corpses SET SCHEMA inventory;
ALTER TABLE public.loot_tables SET SCHEMA inventory;
ALTER TABLE public.loot_fills SET SCHEMA inventory;
ALTER TYPE public.inventory_owner_type SET SCHEMA inventory;

ALTER TABLE public.world_chunks SET SCHEMA world;
ALTER TABLE public.structures SET SCHEMA world;
ALTER TABLE public.structure_storage SET SCHEMA world;
ALTER TABLE public.vehicles SET SCHEMA world;
ALTER TABLE public.territories SET SCHEMA world;
ALTER TABLE public.territory_resource_ledger SET SCHEMA world;
ALTER TABLE public.world_events SET SCHEMA world;
ALTER TABLE public.world_event_spawns SET SCHEMA world;

ALTER TABLE public.factions SET SCHEMA factions;
ALTER TABLE public.faction_members SET SCHEMA factions;
ALTER TYPE public.faction_rank SET SCHEMA factions;

ALTER TABLE public.combat_logs SET SCHEMA combat;
ALTER TABLE public.raid_logs SET SCHEMA combat;
ALTER TYPE public.body_part SET SCHEMA combat;

ALTER TABLE public.wallets SET SCHEMA market;
ALTER TABLE public.wallet_ledger SET SCHEMA market;
ALTER TABLE public.market_listings SET SCHEMA market;
ALTER TABLE public.transactions SET SCHEMA market;
ALTER TYPE public.currency_type SET SCHEMA market;
ALTER TYPE public.market_location_type SET SCHEMA market;
ALTER TYPE public.transaction_type SET SCHEMA market;
ALTER TYPE public.listing_status SET SCHEMA market;

-- A partition is a table of its own: each one follows its parent (the dated ones the partition
-- job created included; platform.ensure_partitions creates the next ones beside their parent).
DO $$
DECLARE
    p record;
BEGIN
    FOR p IN
        SELECT child.relname AS partition, pn.nspname AS schema
          FROM pg_inherits i
          JOIN pg_class parent ON parent.oid = i.inhparent
          JOIN pg_namespace pn ON pn.oid = parent.relnamespace
          JOIN pg_class child ON child.oid = i.inhrelid
          JOIN pg_namespace cn ON cn.oid = child.relnamespace
         WHERE child.relkind IN ('r', 'p') AND cn.nspname = 'public' AND pn.nspname <> 'public'
    LOOP
        EXECUTE format('ALTER TABLE public.%I SET SCHEMA %I', p.partition, p.schema);
    END LOOP;
END;
$$;

-- Functions follow the owner whose prisma/sql folder defines them; the repeatable migrations that
-- run next replace them there. Functions retired since (inv_fail, st_fail, world_entity_fail)
-- move too, so their owner's 99_retired.sql still finds them.
DO $$
DECLARE
    f record;
    v_schema text;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure AS signature, p.proname
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public'
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        v_schema := CASE
            WHEN f.proname IN ('raise_error', 'refuse_ledger_change', 'ensure_partitions',
                               'ensure_range_partition') THEN 'platform'
            WHEN f.proname LIKE 'inv\_%' OR f.proname LIKE 'inventor%'
              OR f.proname IN ('add_item', 'cleanup_corpses', 'consume_item', 'create_corpse',
                               'destroy_item', 'fill_container', 'transfer_item') THEN 'inventory'
            WHEN f.proname LIKE 'st\_%' OR f.proname LIKE 'structure%' OR f.proname LIKE 'world\_%'
              OR f.proname IN ('apply_structure_decay', 'capture_territory', 'complete_world_event',
                               'credit_territory_resources', 'damage_structure', 'decay_vehicles',
                               'expire_world_events', 'join_world_event', 'pay_structure_upkeep',
                               'place_structure', 'repair_structure', 'set_cupboard_authorization',
                               'territory_json') THEN 'world'
        END;
        IF v_schema IS NULL THEN
            RAISE EXCEPTION 'function public.% has no owner: add it to this migration', f.signature;
        END IF;
        EXECUTE format('ALTER FUNCTION %s SET SCHEMA %I', f.signature, v_schema);
    END LOOP;
END;
$$;

-- Grants. A schema's role reads and writes its tables and runs its functions, today's and the
-- ones the migrator creates later (default privileges). Nobody else does, except:
-- * platform's shared tables (outbox, processed_events, idempotency_keys), used by every service
--   for its own rows;
-- * the reads listed below (a service reads another owner's row to check a reference; it never
--   writes it);
-- * the published functions, granted by name in prisma/sql/<owner>/ next to their definition.
-- Functions are not executable by PUBLIC (PostgreSQL's default) from here on.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA platform, accounts, inventory, world, combat, market, factions FROM PUBLIC;

DO $$
DECLARE
    o text;
BEGIN
    FOREACH o IN ARRAY ARRAY['accounts', 'inventory', 'world', 'combat', 'market', 'factions'] LOOP
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', o, 'tn1_' || o);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', o, 'tn1_' || o);
        EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO %I', o, 'tn1_' || o);
        EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO %I', o, 'tn1_' || o);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
                       o, 'tn1_' || o);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I',
                       o, 'tn1_' || o);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT EXECUTE ON FUNCTIONS TO %I', o, 'tn1_' || o);
        -- Every service writes its events, its consumers' marks and its idempotency records.
        EXECUTE format('GRANT USAGE ON SCHEMA platform TO %I', 'tn1_' || o);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON platform.outbox, platform.processed_events, '
                       'platform.idempotency_keys TO %I', 'tn1_' || o);
    END LOOP;
END;
$$;

-- The worker relays the outbox, consumes events, creates partitions and archives old ones
-- (platform.ensure_partitions, platform.drop_archived_partition), reading the logs it archives.
GRANT USAGE ON SCHEMA platform TO tn1_worker;
GRANT SELECT, INSERT, UPDATE, DELETE ON platform.outbox, platform.processed_events, platform.idempotency_keys
    TO tn1_worker;
GRANT USAGE ON SCHEMA combat, market TO tn1_worker;
GRANT SELECT ON combat.combat_logs, market.transactions TO tn1_worker;

-- Cross-owner reads: a character's account, server and faction (inventory's access rules and
-- corpses, world's placement and event checks), a faction's existence (world's territories).
GRANT USAGE ON SCHEMA accounts TO tn1_inventory, tn1_world;
GRANT SELECT ON accounts.players TO tn1_inventory, tn1_world;
GRANT USAGE ON SCHEMA factions TO tn1_world;
GRANT SELECT ON factions.factions TO tn1_world;

-- Callers of published functions need to see the owner's schema (not its tables).
GRANT USAGE ON SCHEMA inventory TO tn1_accounts, tn1_world, tn1_combat;
GRANT USAGE ON SCHEMA market TO tn1_accounts;
