-- Market core (issue 13, rules 1-5): escrowed listings, the claim mailbox, and the rights the
-- market needs on rows other owners hold.
--
-- Escrow: a listed quantity leaves the seller's inventory into an inventory of its own, of the new
-- owner type 'market', owned by the listing (owner_id = listing id), exactly as large as the item.
-- The item row itself moves there (or the listed part of it splits off), so the listing keeps its
-- quality, attachments and custom data, and every unit stays on inventory's item ledger. Items a
-- player is owed (a purchase with no room, an unsold remainder with no room) wait in a 'market'
-- inventory too, the claim's (owner_id = claim id), until collected. Nothing else writes these
-- inventories: only inventory's published market_* functions (prisma/sql/inventory/11_market_items.sql).
ALTER TYPE inventory.inventory_owner_type ADD VALUE IF NOT EXISTS 'market';

-- The escrowed item of a listing and its escrow inventory; what the listing cost to post; when it
-- left the active state.
ALTER TABLE market.market_listings
    ADD COLUMN item_id uuid,
    ADD COLUMN escrow_inventory_id uuid,
    ADD COLUMN listing_fee bigint NOT NULL DEFAULT 0,
    ADD COLUMN closed_at timestamptz,
    ADD CONSTRAINT market_listings_quantity_check CHECK (quantity >= 1),
    ADD CONSTRAINT market_listings_price_check CHECK (price_per_unit BETWEEN 1 AND 1000000000000),
    ADD CONSTRAINT market_listings_sold_check CHECK (sold_quantity >= 0 AND sold_quantity <= quantity),
    ADD CONSTRAINT market_listings_fee_check CHECK (listing_fee >= 0);

-- A seller's active listings (the MARKET_MAX_LISTINGS_PER_PLAYER count, their own listing search),
-- and the expiry job's scan of active listings past their time.
CREATE INDEX idx_market_listings_seller_active ON market.market_listings (seller_id) WHERE status = 'active';
CREATE INDEX idx_market_listings_expiring ON market.market_listings (expires_at) WHERE status = 'active';

-- The claim mailbox: what a closed order owes a player, until collected. An item claim holds one
-- item row in its own 'market' inventory (inventory_id, item_id; template and quantity copied for
-- the listing route); a coin claim holds an amount of a currency that left a wallet through the
-- ledger (reason claim_escrow) and enters the player's wallet when collected (claim_collect).
CREATE TABLE market.claims (
    id               uuid PRIMARY KEY,
    player_id        uuid NOT NULL REFERENCES accounts.players(id),
    inventory_id     uuid,
    item_id          uuid,
    item_template_id varchar(64),
    quantity         integer,
    currency         market.currency_type,
    amount           bigint,
    reason           varchar(32) NOT NULL,
    listing_id       uuid,
    reference        varchar(255),
    created_at       timestamptz NOT NULL DEFAULT now(),
    collected_at     timestamptz,
    collected_item   jsonb,
    CONSTRAINT claims_kind_check CHECK (
        (inventory_id IS NOT NULL AND item_id IS NOT NULL AND item_template_id IS NOT NULL AND quantity >= 1
             AND currency IS NULL AND amount IS NULL)
        OR (inventory_id IS NULL AND item_id IS NULL AND item_template_id IS NULL AND quantity IS NULL
             AND currency IS NOT NULL AND amount >= 1))
);
CREATE INDEX idx_claims_player ON market.claims (player_id, created_at DESC, id DESC);
CREATE INDEX idx_claims_open ON market.claims (player_id) WHERE collected_at IS NULL;
GRANT SELECT, INSERT, UPDATE, DELETE ON market.claims TO tn1_market;

-- The ledger route pages a wallet newest first by id.
CREATE INDEX idx_wallet_ledger_wallet_id ON market.wallet_ledger (player_id, currency, id DESC);

-- The access checks of every market operation: the character's account and server.
GRANT USAGE ON SCHEMA accounts TO tn1_market;
GRANT SELECT ON accounts.players TO tn1_market;
-- The search route and listing checks read the catalog (template ids, stack sizes).
GRANT USAGE ON SCHEMA inventory TO tn1_market;
GRANT SELECT ON inventory.item_templates TO tn1_market;
