-- market: price statistics (issue 13, rule 7). The market.prices.update schedule runs
-- market.update_market_prices (prisma/sql/market/20_prices.sql) at its tick: hourly candles per
-- template and currency from the market purchases of the transactions table, and per template and
-- currency the volume-weighted average of the last 24 h, its volume and the trend against the 24 h
-- before. Redis (market:prices:{item}, market:volume:{item}, market:trends) is a cache of these
-- tables, rebuilt from them when lost.

-- One candle per template, currency and UTC hour (the hour it starts), kept for 7 days. Prices are
-- per unit (total_price / quantity), rounded to 4 decimals.
CREATE TABLE market.price_candles (
    item_template_id varchar(64) NOT NULL,
    currency         market.currency_type NOT NULL,
    hour             timestamptz NOT NULL,
    open             numeric(24, 4) NOT NULL,
    high             numeric(24, 4) NOT NULL,
    low              numeric(24, 4) NOT NULL,
    close            numeric(24, 4) NOT NULL,
    -- Units sold in the hour, the coins paid for them and the purchases.
    volume           bigint NOT NULL,
    value            bigint NOT NULL,
    trades           integer NOT NULL,
    PRIMARY KEY (item_template_id, currency, hour),
    CONSTRAINT price_candles_volume_check CHECK (volume > 0 AND trades > 0),
    CONSTRAINT price_candles_range_check CHECK (low <= open AND low <= close AND high >= open AND high >= close)
);
CREATE INDEX idx_price_candles_hour ON market.price_candles (hour);

-- The statistics of the last tick, per template and currency with a candle in the last 7 days:
-- average NULL (and volume 0) without a purchase in the last 24 h; trend, in percent, NULL
-- without a purchase in either window.
CREATE TABLE market.price_stats (
    item_template_id varchar(64) NOT NULL,
    currency         market.currency_type NOT NULL,
    average          numeric(24, 4),
    volume           bigint NOT NULL,
    trend            numeric(24, 2),
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (item_template_id, currency)
);

-- One row: the newest tick computed. An older tick (a late retry) changes nothing; the next tick
-- recomputes the candles from the hour before this one, so purchases committed just after a tick
-- (with an earlier created_at) are counted.
CREATE TABLE market.price_runs (
    singleton        boolean PRIMARY KEY DEFAULT true,
    computed_through timestamptz NOT NULL,
    CONSTRAINT price_runs_singleton_check CHECK (singleton)
);

-- The schedule reads the purchases of the last 48 h (stats) and of the hours it recomputes (candles).
CREATE INDEX idx_transactions_purchases_time ON market.transactions (created_at)
    WHERE transaction_type = 'market_purchase';

-- A price asked for an unknown template is 404: the market reads the item catalog (granted by
-- 20261204100000_market_core).
