-- market: price statistics (issue 13, rule 7), the seed's "Actualización de Economía" procedure.
-- update_market_prices(tick) recomputes, from the market purchases of the transactions table, the
-- hourly candles (7 days) and per template and currency the volume-weighted average of the last
-- 24 h, the volume and the trend against the 24 h before; the market service then writes them to
-- Redis (market:prices:{item}, market:volume:{item}, market:trends). price_snapshot reads one
-- template's statistics back when Redis has lost them. Direct trades are not prices: a trade side
-- is items for items or coins, without a unit price, so only market_purchase rows count.

-- An instant as JavaScript's toISOString writes it (UTC, milliseconds).
CREATE OR REPLACE FUNCTION market.iso_time(p_at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
$$;

-- The UTC hour an instant falls in.
CREATE OR REPLACE FUNCTION market.price_hour(p_at timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
    SELECT date_trunc('hour', p_at, 'UTC');
$$;

-- One template's statistics in one currency as the API shows them (GET /v1/market/prices/{id}):
-- {itemTemplateId, currency, average, volume, trend, updatedAt, history}, history the hourly
-- candles, oldest first. NULL when the last tick computed nothing for it.
CREATE OR REPLACE FUNCTION market.price_snapshot(p_template text, p_currency market.currency_type)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'itemTemplateId', s.item_template_id, 'currency', s.currency,
        'average', s.average, 'volume', s.volume, 'trend', s.trend,
        'updatedAt', market.iso_time(s.updated_at),
        'history', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                       'hour', market.iso_time(c.hour), 'open', c.open, 'high', c.high, 'low', c.low,
                       'close', c.close, 'volume', c.volume) ORDER BY c.hour)
              FROM market.price_candles c
             WHERE c.item_template_id = s.item_template_id AND c.currency = s.currency), '[]'::jsonb))
      FROM market.price_stats s
     WHERE s.item_template_id = p_template AND s.currency = p_currency;
$$;

-- The read of GET /v1/market/prices/{id} when Redis has lost it: {known, snapshot}; known is
-- false for a template the catalog does not have, snapshot NULL when it has no statistics.
CREATE OR REPLACE FUNCTION market.read_prices(p_template text, p_currency market.currency_type)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'known', EXISTS (SELECT 1 FROM inventory.item_templates t WHERE t.id = p_template),
        'snapshot', market.price_snapshot(p_template, p_currency));
$$;

-- The market.prices.update schedule's work at its tick p_now, in one transaction:
--   * candles: every hour from the hour before the previous tick's (or from 7 days back on the
--     first run) up to p_now is recomputed from the purchases created before p_now; candles older
--     than 7 days (p_history_hours) are dropped;
--   * stats: replaced for every template and currency with a candle left, from the purchases of
--     [p_now - 48 h, p_now).
-- Idempotent for a tick: the same tick again recomputes the same rows from the same purchases; an
-- older tick than the newest computed (a late retry) changes nothing. Two runs at once wait for
-- each other on price_runs. Returns {computedThrough, skipped, candles, snapshots, removed}:
-- snapshots are every statistic now held (price_snapshot), removed the template and currency
-- pairs whose statistics were dropped, for the service to write to Redis.
CREATE OR REPLACE FUNCTION market.update_market_prices(p_now timestamptz, p_history_hours integer DEFAULT 168)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_through timestamptz;
    v_oldest timestamptz := market.price_hour(p_now) - (p_history_hours - 1) * interval '1 hour';
    v_from timestamptz;
    v_candles integer := 0;
    v_removed jsonb;
BEGIN
    INSERT INTO market.price_runs (singleton, computed_through) VALUES (true, '-infinity')
        ON CONFLICT (singleton) DO NOTHING;
    SELECT computed_through INTO v_through FROM market.price_runs WHERE singleton FOR UPDATE;

    IF p_now < v_through THEN
        RETURN jsonb_build_object(
            'computedThrough', market.iso_time(v_through), 'skipped', true, 'candles', 0,
            'snapshots', COALESCE((SELECT jsonb_agg(market.price_snapshot(s.item_template_id, s.currency)
                                                    ORDER BY s.item_template_id, s.currency)
                                     FROM market.price_stats s), '[]'::jsonb),
            'removed', '[]'::jsonb);
    END IF;

    v_from := GREATEST(v_oldest, market.price_hour(v_through) - interval '1 hour');
    DELETE FROM market.price_candles WHERE hour < v_oldest OR hour >= v_from;

    INSERT INTO market.price_candles (item_template_id, currency, hour, open, high, low, close, volume, value, trades)
    SELECT item_template_id, currency, hour,
           (array_agg(unit ORDER BY created_at, id))[1],
           max(unit), min(unit),
           (array_agg(unit ORDER BY created_at DESC, id DESC))[1],
           sum(quantity), sum(total_price), count(*)
      FROM (SELECT t.item_template_id, t.currency, market.price_hour(t.created_at) AS hour,
                   t.created_at, t.id, t.quantity, t.total_price,
                   round(t.total_price::numeric / t.quantity, 4) AS unit
              FROM market.transactions t
             WHERE t.transaction_type = 'market_purchase' AND t.currency IS NOT NULL
               AND t.quantity > 0 AND t.created_at >= v_from AND t.created_at < p_now) p
     GROUP BY item_template_id, currency, hour;
    GET DIAGNOSTICS v_candles = ROW_COUNT;

    WITH kept AS (
        SELECT DISTINCT item_template_id, currency FROM market.price_candles
    ), windows AS (
        SELECT t.item_template_id, t.currency,
               sum(t.quantity) FILTER (WHERE t.created_at >= p_now - interval '24 hours') AS volume,
               sum(t.total_price) FILTER (WHERE t.created_at >= p_now - interval '24 hours') AS value,
               sum(t.quantity) FILTER (WHERE t.created_at < p_now - interval '24 hours') AS prev_volume,
               sum(t.total_price) FILTER (WHERE t.created_at < p_now - interval '24 hours') AS prev_value
          FROM market.transactions t
         WHERE t.transaction_type = 'market_purchase' AND t.currency IS NOT NULL AND t.quantity > 0
           AND t.created_at >= p_now - interval '48 hours' AND t.created_at < p_now
         GROUP BY t.item_template_id, t.currency
    ), stats AS (
        SELECT k.item_template_id, k.currency,
               round(w.value::numeric / NULLIF(w.volume, 0), 4) AS average,
               COALESCE(w.volume, 0) AS volume,
               round(w.prev_value::numeric / NULLIF(w.prev_volume, 0), 4) AS previous
          FROM kept k LEFT JOIN windows w USING (item_template_id, currency)
    ), dropped AS (
        DELETE FROM market.price_stats s
         WHERE NOT EXISTS (SELECT 1 FROM kept k
                            WHERE k.item_template_id = s.item_template_id AND k.currency = s.currency)
        RETURNING s.item_template_id, s.currency
    ), upserted AS (
        INSERT INTO market.price_stats AS s (item_template_id, currency, average, volume, trend, updated_at)
        SELECT item_template_id, currency, average, volume,
               round((average - previous) * 100 / NULLIF(previous, 0), 2), p_now
          FROM stats
        ON CONFLICT (item_template_id, currency) DO UPDATE
           SET average = EXCLUDED.average, volume = EXCLUDED.volume, trend = EXCLUDED.trend,
               updated_at = EXCLUDED.updated_at
    )
    SELECT COALESCE(jsonb_agg(jsonb_build_object('itemTemplateId', item_template_id, 'currency', currency)
                              ORDER BY item_template_id, currency), '[]'::jsonb)
      INTO v_removed FROM dropped;

    UPDATE market.price_runs SET computed_through = p_now WHERE singleton;

    RETURN jsonb_build_object(
        'computedThrough', market.iso_time(p_now), 'skipped', false, 'candles', v_candles,
        'snapshots', COALESCE((SELECT jsonb_agg(market.price_snapshot(s.item_template_id, s.currency)
                                                ORDER BY s.item_template_id, s.currency)
                                 FROM market.price_stats s), '[]'::jsonb),
        'removed', v_removed);
END;
$$;
