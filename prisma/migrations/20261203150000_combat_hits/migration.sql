-- Combat hits (issue 12): a character's death, the hit ids already seen, the combat log indexes
-- of the per-player listing, and the rights combat needs on the rows it owns in other schemas.

-- When the character died; NULL while alive. Set by combat's killing blow, cleared by respawn.
ALTER TABLE accounts.players ADD COLUMN died_at timestamptz;

-- Every hit id a game server has sent, applied or refused: a hit id seen before is never applied
-- again, whether it came by HTTP, NATS or a retry. combat_logs cannot hold this on its own: it is
-- partitioned by created_at, so its key is (id, created_at) and an id could repeat across months.
CREATE TABLE combat.seen_hits (
    hit_id    uuid PRIMARY KEY,
    server_id uuid NOT NULL,
    applied   boolean NOT NULL,
    seen_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_seen_hits_seen_at ON combat.seen_hits (seen_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON combat.seen_hits TO tn1_combat;

-- GET /v1/combat/logs?playerId=: a player's rows as attacker or victim, newest first.
CREATE INDEX idx_combat_attacker_time ON combat.combat_logs (attacker_id, created_at DESC, id DESC);
CREATE INDEX idx_combat_victim_time ON combat.combat_logs (victim_id, created_at DESC, id DESC);

-- Combat owns players.health, the death mark and the player_stats combat columns (docs/architecture.md
-- "Data ownership"); the rows live in accounts. Column grants: combat changes nothing else there.
-- position and chunk are written by a respawn only.
GRANT USAGE ON SCHEMA accounts TO tn1_combat;
GRANT SELECT ON accounts.players, accounts.player_stats TO tn1_combat;
GRANT UPDATE (health, died_at, position, chunk_x, chunk_z) ON accounts.players TO tn1_combat;
GRANT UPDATE (shots_hit, damage_dealt, damage_received, kills_players, kills_npcs, deaths)
    ON accounts.player_stats TO tn1_combat;
-- Weapon plausibility reads the catalog's weapon stats.
GRANT SELECT ON inventory.item_templates TO tn1_combat;
