-- world: the API's structure shape, as JSON, for the procedures' results.

-- The API's structure shape (contracts world-structures.ts StructureView).
CREATE OR REPLACE FUNCTION structure_json(s structures, ss structure_storage) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', s.id, 'chunkX', s.chunk_x, 'chunkZ', s.chunk_z, 'structureType', s.structure_type,
        'position', s.position, 'rotation', s.rotation, 'ownerId', s.owner_id, 'factionId', s.faction_id,
        'health', s.health, 'maxHealth', s.max_health, 'buildData', s.build_data,
        'permissions', s.permissions, 'upkeepPaidUntil', s.upkeep_paid_until,
        'decayProtection', COALESCE(s.decay_protection, true), 'decayPerHour', s.decay_per_hour,
        'createdAt', s.created_at, 'lastDamaged', s.last_damaged,
        'storage', CASE WHEN ss.structure_id IS NULL THEN NULL ELSE jsonb_build_object(
            'inventoryId', ss.inventory_id,
            'authorizedPlayers', to_jsonb(COALESCE(ss.authorized_players, '{}')),
            'tcRange', ss.tc_range) END);
$$;

CREATE OR REPLACE FUNCTION structure_view(p_id uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT structure_json(s, ss) FROM structures s
      LEFT JOIN structure_storage ss ON ss.structure_id = s.id
     WHERE s.id = p_id;
$$;
