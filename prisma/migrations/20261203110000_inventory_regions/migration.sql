-- A game server acts on world inventories of its own region only (issue 11). inventories.region
-- is the region of the inventory's server (server_id), set on insert by the inventories_region
-- trigger (prisma/sql/inventory/10_regions.sql) from accounts.game_servers; player inventories
-- have none (they travel with their character, whose server is checked instead).
ALTER TABLE inventory.inventories ADD COLUMN region varchar(32);

-- The trigger reads a server's region; inventory reads nothing else of game_servers.
GRANT SELECT (id, region) ON accounts.game_servers TO tn1_inventory;

-- Existing rows: the region of the owning game server when the row names one (world containers
-- created through the API, corpses).
UPDATE inventory.inventories i
   SET region = g.region
  FROM accounts.game_servers g
 WHERE g.id = i.server_id AND i.owner_type <> 'player';

-- Structure storage, vehicle and spilled-container inventories were created without a server.
-- A deployment with a single region gives them that region; with several regions the owner is
-- not knowable, so they keep NULL: a legacy row that every server may still act on, as before.
UPDATE inventory.inventories i
   SET region = (SELECT min(region) FROM accounts.game_servers)
 WHERE i.region IS NULL AND i.owner_type <> 'player'
   AND (SELECT count(DISTINCT region) FROM accounts.game_servers) = 1;
