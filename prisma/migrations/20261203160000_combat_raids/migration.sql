-- combat: raids (issue 12). A raid is opened or extended on a base (the structures under one tool
-- cupboard) by world's evt.world.structure.damaged.v1 events, and closed by the raids.close-idle
-- schedule (prisma/sql/combat/03_raids.sql).

-- A raided structure can be destroyed: raid_logs.structure_id no longer references
-- world.structures (the row goes when the structure does), and the raid keeps what the structure
-- was in structure_snapshot ({id, structureType, ownerId, factionId, position, maxHealth}).
ALTER TABLE combat.raid_logs DROP CONSTRAINT raid_logs_structure_id_fkey;

ALTER TABLE combat.raid_logs
    ADD COLUMN structure_snapshot jsonb,
    -- The base: its tool cupboard's id, or the structure's own id when no cupboard covers it.
    ADD COLUMN base_id uuid,
    ADD COLUMN cupboard_id uuid,
    -- The last raid damage: the close schedule ends a raid idle for RAID_IDLE_MINUTES.
    ADD COLUMN last_damage_at timestamptz,
    -- Whether offline-raid protection scaled any of the raid's damage.
    ADD COLUMN offline_protected boolean NOT NULL DEFAULT false,
    ADD COLUMN cupboard_destroyed boolean NOT NULL DEFAULT false,
    -- The base's storage inventories seen by the raid's events (and the containers their
    -- destruction spilled into): loot_taken counts what raiders moved out of them.
    ADD COLUMN storage_inventory_ids uuid[];

UPDATE combat.raid_logs SET base_id = COALESCE(structure_id, id), last_damage_at = COALESCE(ended_at, started_at);

-- One open raid per base; the close schedule walks the open raids by their last damage.
CREATE UNIQUE INDEX idx_raid_logs_open_base ON combat.raid_logs (base_id) WHERE ended_at IS NULL;
CREATE INDEX idx_raid_logs_idle ON combat.raid_logs (last_damage_at) WHERE ended_at IS NULL;
CREATE INDEX idx_raid_logs_raider ON combat.raid_logs (raider_faction_id, started_at DESC);
CREATE INDEX idx_raid_logs_defender ON combat.raid_logs (defender_faction_id, started_at DESC);
CREATE INDEX idx_raid_logs_structure ON combat.raid_logs (structure_id, started_at DESC);

-- Loot taken during a raid is read from the item ledger by the inventories items left.
CREATE INDEX idx_item_ledger_from ON inventory.item_ledger (from_inventory_id, created_at)
    WHERE from_inventory_id IS NOT NULL;

-- Combat reads a character's account and faction (a player sees its own faction's raids; the
-- consumer tells raiders from defenders).
GRANT USAGE ON SCHEMA accounts TO tn1_combat;
GRANT SELECT (id, account_id, faction_id) ON accounts.players TO tn1_combat;
