-- inventory: the nightly conservation check (issue 11). Replaying item_ledger must give every
-- inventory exactly the quantity of each template it holds: each row adds its quantity to
-- (to_inventory_id, template_id) and takes it from (from_inventory_id, template_id). Returns how
-- many (inventory, template) pairs disagree and the first of them, for the worker's
-- ledgers.verify schedule (an alert metric and a log line). Read-only; a full pass over the ledger.
CREATE OR REPLACE FUNCTION verify_item_ledger(OUT mismatches integer, OUT first_mismatch jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = inventory, platform, public, pg_temp AS $$
    WITH replay AS (
        SELECT inventory_id, template_id, sum(quantity)::bigint AS ledger
          FROM (SELECT to_inventory_id AS inventory_id, template_id, quantity FROM item_ledger
                 WHERE to_inventory_id IS NOT NULL
                UNION ALL
                SELECT from_inventory_id, template_id, -quantity FROM item_ledger
                 WHERE from_inventory_id IS NOT NULL) moves
         GROUP BY inventory_id, template_id
    ), held AS (
        SELECT inventory_id, item_template_id AS template_id, sum(quantity)::bigint AS actual
          FROM inventory_items WHERE inventory_id IS NOT NULL
         GROUP BY inventory_id, item_template_id
    ), diff AS (
        SELECT COALESCE(r.inventory_id, h.inventory_id) AS inventory_id,
               COALESCE(r.template_id, h.template_id) AS template_id,
               COALESCE(r.ledger, 0) AS ledger, COALESCE(h.actual, 0) AS actual
          FROM replay r FULL JOIN held h ON h.inventory_id = r.inventory_id AND h.template_id = r.template_id
         WHERE COALESCE(r.ledger, 0) <> COALESCE(h.actual, 0)
    )
    SELECT (SELECT count(*)::int FROM diff),
           (SELECT jsonb_build_object('inventoryId', inventory_id, 'templateId', template_id,
                                      'ledger', ledger, 'actual', actual)
              FROM diff ORDER BY inventory_id, template_id LIMIT 1);
$$;

ALTER FUNCTION verify_item_ledger() OWNER TO tn1_inventory;
GRANT USAGE ON SCHEMA inventory TO tn1_worker;
GRANT EXECUTE ON FUNCTION verify_item_ledger() TO tn1_worker;
