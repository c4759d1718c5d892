-- world: structure decay (SPEC sections 3 and 4): apply_structure_decay in batches per chunk,
-- structure_decay_chunks for the decay scan. decay_applied_at makes a tick apply once.

-- Whether a structure's upkeep has lapsed at p_now: unprotected ones always decay; protected ones
-- when upkeep was never paid or is paid only up to an earlier instant.
CREATE OR REPLACE FUNCTION st_lapsed(s structures, p_now timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT s.decay_protection IS FALSE OR s.upkeep_paid_until IS NULL OR s.upkeep_paid_until < p_now;
$$;

-- Applies decay to the given structures up to p_now (the rule of applyDecay in libs/world-domain):
-- the lapsed part of (decay_applied_at, p_now] is, for a protected structure, what lies after
-- upkeep_paid_until, and the whole interval for an unprotected one; health drops by
-- decay_per_hour × lapsed hours; at zero (within float noise) the structure is destroyed
-- (st_destroy, cause 'decay').
-- decay_applied_at moves to p_now, so the same tick applied again changes nothing.
-- Returns {processed, decayed, destroyed}.
CREATE OR REPLACE FUNCTION st_decay_ids(p_ids uuid[], p_now timestamptz, p_reference text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v structures;
    v_start timestamptz;
    v_hours double precision;
    v_health double precision;
    v_processed integer := 0;
    v_decayed integer := 0;
    v_destroyed integer := 0;
BEGIN
    FOR v IN
        SELECT * FROM structures WHERE id = ANY (p_ids) AND decay_applied_at < p_now ORDER BY id FOR UPDATE
    LOOP
        v_processed := v_processed + 1;
        v_start := v.decay_applied_at;
        IF v.decay_protection IS NOT FALSE AND v.upkeep_paid_until IS NOT NULL THEN
            v_start := greatest(v_start, v.upkeep_paid_until);
        END IF;
        v_hours := greatest(0, extract(epoch FROM (p_now - v_start)) / 3600.0);
        v_health := greatest(0, v.health - v_hours * v.decay_per_hour);
        -- A billionth of the maximum is float noise (250 - 3 × 250/3 is not exactly 0): gone.
        IF v_health <= 1e-9 * v.max_health THEN
            PERFORM st_destroy(v, 'decay', NULL, false, p_now, COALESCE(p_reference, 'decay'));
            v_destroyed := v_destroyed + 1;
        ELSE
            UPDATE structures SET health = v_health, decay_applied_at = p_now WHERE id = v.id;
            IF v_health < v.health THEN
                v_decayed := v_decayed + 1;
            END IF;
        END IF;
    END LOOP;
    RETURN jsonb_build_object('processed', v_processed, 'decayed', v_decayed, 'destroyed', v_destroyed);
END;
$$;

-- One batch of decay in one chunk at tick p_now: at most p_limit lapsed structures not yet
-- decayed to p_now, in id order. Returns {processed, decayed, destroyed, more}; call again while
-- more is true (each batch its own short transaction). Running a tick twice applies it once.
CREATE OR REPLACE FUNCTION apply_structure_decay(p_chunk_x integer, p_chunk_z integer, p_now timestamptz,
                                      p_limit integer DEFAULT 500)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_ids uuid[];
    v_result jsonb;
BEGIN
    PERFORM st_require(p_chunk_x IS NOT NULL, 'chunkX', 'required');
    PERFORM st_require(p_chunk_z IS NOT NULL, 'chunkZ', 'required');
    PERFORM st_require(p_now IS NOT NULL, 'tick', 'required');
    PERFORM st_require(p_limit BETWEEN 1 AND 10000, 'limit', 'between 1 and 10000');
    SELECT array_agg(id) INTO v_ids FROM (
        SELECT s.id FROM structures s
         WHERE s.chunk_x = p_chunk_x AND s.chunk_z = p_chunk_z AND s.decay_applied_at < p_now
           AND st_lapsed(s, p_now)
         ORDER BY s.id LIMIT p_limit) l;
    v_result := st_decay_ids(COALESCE(v_ids, '{}'), p_now, 'decay:' || p_chunk_x || ':' || p_chunk_z);
    RETURN v_result || jsonb_build_object('more', COALESCE(array_length(v_ids, 1), 0) = p_limit);
END;
$$;

-- Chunks holding a structure with decay to apply at p_now: what the decay scan enqueues, one
-- structure_decay job each.
CREATE OR REPLACE FUNCTION structure_decay_chunks(p_now timestamptz, p_limit integer DEFAULT 10000)
RETURNS TABLE (chunk_x integer, chunk_z integer)
LANGUAGE sql STABLE AS $$
    SELECT s.chunk_x, s.chunk_z FROM structures s
     WHERE s.decay_applied_at < p_now AND st_lapsed(s, p_now)
     GROUP BY s.chunk_x, s.chunk_z
     ORDER BY s.chunk_x, s.chunk_z
     LIMIT p_limit;
$$;
