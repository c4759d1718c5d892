-- world: abandonment decay of vehicles (the vehicles.decay schedule).

-- Decays vehicles nobody used for p_abandon_hours: each loses p_loss_per_hour × max_health per
-- hour since max(last_used + p_abandon_hours, last_decay_at), and is destroyed at 0: the vehicle row
-- is deleted, then its inventory through inventory's published delete_inventory (every item
-- destroyed with one item_ledger row each, then the inventory row). At most p_limit vehicles per call; rows locked by a concurrent caller
-- are skipped, and a vehicle already decayed up to p_now is not selected, so calling again with
-- the same p_now changes nothing. Returns {decayed, destroyed: [vehicle ids]}.
CREATE OR REPLACE FUNCTION decay_vehicles(p_now timestamptz, p_abandon_hours double precision,
                               p_loss_per_hour double precision, p_limit integer)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_abandon interval := make_interval(secs => p_abandon_hours * 3600);
    v vehicles;
    v_from timestamptz;
    v_health double precision;
    v_decayed int := 0;
    v_destroyed uuid[] := '{}';
BEGIN
    FOR v IN
        SELECT * FROM vehicles
         WHERE COALESCE(last_used, created_at) + v_abandon < p_now
           AND (last_decay_at IS NULL OR last_decay_at < p_now)
         ORDER BY id
         LIMIT p_limit
         FOR UPDATE SKIP LOCKED
    LOOP
        v_from := GREATEST(COALESCE(v.last_used, v.created_at) + v_abandon,
                           COALESCE(v.last_decay_at, '-infinity'::timestamptz));
        v_health := GREATEST(0, v.health - v.max_health * p_loss_per_hour
                                          * extract(epoch FROM p_now - v_from) / 3600);
        v_decayed := v_decayed + 1;
        IF v_health > 0 THEN
            UPDATE vehicles SET health = v_health, last_decay_at = p_now WHERE id = v.id;
            CONTINUE;
        END IF;
        DELETE FROM vehicles WHERE id = v.id;
        IF v.inventory_id IS NOT NULL THEN
            PERFORM inventory.delete_inventory(v.inventory_id, 'vehicle_decayed', 'vehicle:' || v.id);
        END IF;
        v_destroyed := v_destroyed || v.id;
    END LOOP;
    RETURN jsonb_build_object('decayed', v_decayed, 'destroyed', to_jsonb(v_destroyed));
END;
$$;
