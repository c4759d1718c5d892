-- Extensions and the seed's enum types ("Tipos ENUM").

-- The inventory overlap constraint (a GiST exclusion over inventory_id and the item's rectangle)
-- needs btree operator classes inside GiST. gen_random_uuid() is built into PostgreSQL 13+, so
-- pgcrypto is not needed.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TYPE inventory_owner_type AS ENUM ('player', 'structure', 'vehicle', 'container', 'corpse');
CREATE TYPE faction_rank AS ENUM ('leader', 'officer', 'member', 'recruit');
CREATE TYPE body_part AS ENUM ('head', 'thorax', 'stomach', 'left_arm', 'right_arm', 'left_leg', 'right_leg');
CREATE TYPE currency_type AS ENUM ('scrap', 'hqm', 'credits');
CREATE TYPE market_location_type AS ENUM ('global', 'vending_machine', 'player_shop', 'safe_zone');
CREATE TYPE transaction_type AS ENUM ('market_purchase', 'direct_trade', 'faction_bank', 'quest_reward');
