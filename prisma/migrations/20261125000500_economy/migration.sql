-- Player market and money ("Economia y Comercio", SPEC section 3). transactions is partitioned
-- and lives in the logs_partitioned migration.

-- The state of a listing, kept by the market: sold_out when sold_quantity reaches quantity,
-- cancelled by the seller, expired by the expiry job once expires_at has passed.
CREATE TYPE listing_status AS ENUM ('active', 'sold_out', 'cancelled', 'expired');

CREATE TABLE market_listings (
    id               UUID PRIMARY KEY,
    seller_id        UUID REFERENCES players(id),
    item_template_id VARCHAR(64) NOT NULL,
    quantity         INTEGER NOT NULL,
    price_per_unit   BIGINT NOT NULL,
    currency         currency_type DEFAULT 'scrap',
    quality          FLOAT,
    attachments      JSONB,
    location_type    market_location_type NOT NULL,
    location_id      UUID,
    expires_at       TIMESTAMPTZ NOT NULL,
    created_at       TIMESTAMPTZ DEFAULT NOW(),
    sold_quantity    INTEGER DEFAULT 0,
    status           listing_status NOT NULL DEFAULT 'active'
);

CREATE INDEX idx_market_item ON market_listings(item_template_id);
CREATE INDEX idx_market_expires ON market_listings(expires_at);

-- The seed asks for "... WHERE expires_at > NOW()". PostgreSQL refuses it: an index predicate
-- may only use IMMUTABLE functions, and NOW() changes with every transaction, so the set of rows
-- the index covers would silently go stale. The predicate is instead the listing state the market
-- maintains; searches add "AND expires_at > now()" to drop the few rows the expiry job has not
-- flipped yet, which the planner filters on top of this index.
CREATE INDEX idx_market_search ON market_listings(item_template_id, price_per_unit)
    WHERE status = 'active';

CREATE TABLE wallets (
    player_id UUID NOT NULL REFERENCES players(id),
    currency  currency_type NOT NULL,
    balance   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (player_id, currency),
    CONSTRAINT wallets_balance_check CHECK (balance >= 0)
);

-- Append-only; for every wallet, the sum of delta equals balance and the newest balance_after
-- equals balance. No foreign key: the ledger outlives anything it mentions.
CREATE TABLE wallet_ledger (
    id              BIGSERIAL PRIMARY KEY,
    player_id       UUID NOT NULL,
    currency        currency_type NOT NULL,
    delta           BIGINT NOT NULL,
    balance_after   BIGINT NOT NULL,
    reason          VARCHAR(64) NOT NULL,
    reference       VARCHAR(255),
    idempotency_key VARCHAR(255) UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT wallet_ledger_delta_check CHECK (delta <> 0),
    CONSTRAINT wallet_ledger_balance_after_check CHECK (balance_after >= 0)
);

CREATE INDEX idx_wallet_ledger_player ON wallet_ledger(player_id, currency, created_at);

CREATE TRIGGER wallet_ledger_append_only
    BEFORE UPDATE OR DELETE ON wallet_ledger
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER wallet_ledger_no_truncate
    BEFORE TRUNCATE ON wallet_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();
