-- market: direct trades between two characters joined to the same game server (issue 13, rule 6;
-- prisma/sql/market/21_trades.sql). Each side's offer is items and coins. An offered item leaves
-- its owner's inventory into an escrow of its own ('market' inventory owned by the trade, through
-- inventory.market_escrow_item and the item ledger), so it can be in at most one open trade or
-- listing; coins stay in the wallet until the trade executes and are checked again then. An offer
-- change resets both acceptances; when both sides accept, everything swaps in one transaction
-- with two transactions rows (direct_trade). The market.trades.expire schedule cancels the trades
-- idle for TRADE_TIMEOUT_SECONDS or with a player who left the server: escrowed items go back.

CREATE TYPE market.trade_status AS ENUM ('open', 'executed', 'cancelled');

CREATE TABLE market.trades (
    id                 uuid PRIMARY KEY,
    -- The server both characters were joined to when the trade opened; both must stay there.
    server_id          uuid NOT NULL,
    initiator_id       uuid NOT NULL REFERENCES accounts.players(id),
    partner_id         uuid NOT NULL REFERENCES accounts.players(id),
    status             market.trade_status NOT NULL DEFAULT 'open',
    initiator_accepted boolean NOT NULL DEFAULT false,
    partner_accepted   boolean NOT NULL DEFAULT false,
    -- Bumped by every offer change: an accept may name the version it saw.
    version            integer NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT now(),
    -- The last change (open, offer, accept): the timeout counts from it.
    updated_at         timestamptz NOT NULL DEFAULT now(),
    closed_at          timestamptz,
    -- executed, or why it was cancelled: CANCELLED (by a request), TIMED_OUT, PLAYER_LEFT.
    close_reason       varchar(32),
    CONSTRAINT trades_parties_check CHECK (initiator_id <> partner_id),
    CONSTRAINT trades_closed_check CHECK ((status = 'open') = (closed_at IS NULL)),
    CONSTRAINT trades_accepted_check CHECK (status <> 'executed' OR (initiator_accepted AND partner_accepted))
);
-- The expiry schedule walks the open trades by their last change.
CREATE INDEX idx_trades_open_idle ON market.trades (updated_at) WHERE status = 'open';
CREATE INDEX idx_trades_initiator ON market.trades (initiator_id) WHERE status = 'open';
CREATE INDEX idx_trades_partner ON market.trades (partner_id) WHERE status = 'open';

-- The items of an open offer: the escrowed item row (in its 'market' inventory owned by the trade)
-- and the item the player offered (the same row when the whole stack was offered, the stack it was
-- split from otherwise).
CREATE TABLE market.trade_items (
    trade_id            uuid NOT NULL REFERENCES market.trades(id),
    player_id           uuid NOT NULL,
    offered_item_id     uuid NOT NULL,
    item_id             uuid NOT NULL,
    escrow_inventory_id uuid NOT NULL,
    item_template_id    varchar(64) NOT NULL,
    quantity            integer NOT NULL,
    PRIMARY KEY (trade_id, item_id),
    CONSTRAINT trade_items_offered_unique UNIQUE (trade_id, player_id, offered_item_id),
    CONSTRAINT trade_items_quantity_check CHECK (quantity >= 1)
);

-- The coins of an open offer, per currency; taken from the wallet only when the trade executes.
CREATE TABLE market.trade_money (
    trade_id  uuid NOT NULL REFERENCES market.trades(id),
    player_id uuid NOT NULL,
    currency  market.currency_type NOT NULL,
    amount    bigint NOT NULL,
    PRIMARY KEY (trade_id, player_id, currency),
    CONSTRAINT trade_money_amount_check CHECK (amount BETWEEN 1 AND 1000000000000)
);

-- A direct trade's two transactions rows (one per side: seller_id gave, buyer_id received) name the
-- trade and carry the side's whole offer: {items: [{itemTemplateId, quantity}], money: [{currency, amount}]}.
ALTER TABLE market.transactions
    ADD COLUMN trade_id uuid,
    ADD COLUMN details jsonb;
CREATE INDEX idx_transactions_trade ON market.transactions (trade_id) WHERE trade_id IS NOT NULL;
