-- "Vacuum automatico agresivo" for the hot tables (SPEC section 3).
-- The defaults wait until 20% of a table is dead rows before vacuuming and 10% changed before
-- analyzing; on tables rewritten all day by position flushes, item moves, trades and decay that
-- means bloat and stale plans. Here vacuum starts at 2% and analyze at 1%, and each worker may
-- do more work per cost round so it keeps up instead of throttling.
-- fillfactor leaves room in each page so updates that touch no indexed column (position,
-- health, stats) stay HOT and skip index maintenance.

ALTER TABLE players SET (
    fillfactor = 85,
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.01,
    autovacuum_vacuum_cost_limit = 2000
);

-- Items are created and destroyed constantly (loot, crafting, consumption).
ALTER TABLE inventory_items SET (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.05,
    autovacuum_vacuum_cost_limit = 2000
);

ALTER TABLE market_listings SET (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.05,
    autovacuum_vacuum_cost_limit = 2000
);

-- Decay and raids update health continuously.
ALTER TABLE structures SET (
    fillfactor = 90,
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.01,
    autovacuum_vacuum_cost_limit = 2000
);
