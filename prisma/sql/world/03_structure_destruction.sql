-- world: destroying a structure (by damage or decay): its storage items move into a loot
-- container through inventory's published spill_inventory, the rows go, and
-- evt.world.structure.destroyed.v1 is written to the outbox in the same transaction.

-- Destroys a locked structure: its storage items move (one 'move' ledger row each, reason
-- 'structure_destroyed') into a new 'container' inventory of the same grid, owned by the
-- destroyed structure's id, every item at its own cell; the storage inventory, now empty, and the
-- rows go; evt.world.structure.destroyed.v1 tells everyone, with the container to spawn at the
-- structure's position. Returns the container id, NULL when there was nothing to keep.
CREATE OR REPLACE FUNCTION st_destroy(p_s structures, p_cause text, p_attacker uuid, p_explosive boolean,
                           p_now timestamptz, p_reference text)
RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    v_storage structure_storage;
    v_container uuid;
BEGIN
    SELECT * INTO v_storage FROM structure_storage WHERE structure_id = p_s.id FOR UPDATE;
    IF FOUND AND v_storage.inventory_id IS NOT NULL THEN
        v_container := inventory.spill_inventory(v_storage.inventory_id, p_s.id, 'structure_destroyed', p_reference);
    END IF;
    IF v_storage.structure_id IS NOT NULL THEN
        DELETE FROM structure_storage WHERE structure_id = p_s.id;
        IF v_storage.inventory_id IS NOT NULL THEN
            PERFORM inventory.delete_inventory(v_storage.inventory_id, 'structure_destroyed', p_reference);
        END IF;
    END IF;
    DELETE FROM structures WHERE id = p_s.id;
    INSERT INTO outbox (id, subject, payload, headers, created_at)
    VALUES (gen_random_uuid(), 'evt.world.structure.destroyed.v1', jsonb_build_object(
        'structureId', p_s.id, 'structureType', p_s.structure_type, 'ownerId', p_s.owner_id,
        'factionId', p_s.faction_id, 'chunkX', p_s.chunk_x, 'chunkZ', p_s.chunk_z,
        'position', p_s.position, 'cause', p_cause, 'attackerId', p_attacker,
        'explosive', COALESCE(p_explosive, false), 'containerInventoryId', v_container,
        'destroyedAt', p_now), '{}', clock_timestamp());
    -- Wakes the outbox relay at commit, as libs/bus enqueueEvent does.
    PERFORM pg_notify('outbox_enqueued', '');
    RETURN v_container;
END;
$$;
