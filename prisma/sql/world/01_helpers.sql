-- world: helpers of the world procedures: field checks, the structure row lock and the chunk of
-- a coordinate.
--
-- Errors: raise_error (platform/01_errors.sql) with a code of WorldErrors in @trustno1/contracts
-- (BUILD_BLOCKED, LIMIT_REACHED, NOT_FOUND, CONFLICT, VALIDATION_FAILED with {field, problem});
-- the world service maps each to the AppError of the same code (apps/world
-- procedures/procedure-errors.ts). Errors of inventory's functions (spill_inventory moving a destroyed structure's storage)
-- keep the inventory codes.

CREATE OR REPLACE FUNCTION st_require(p_ok boolean, p_field text, p_problem text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_ok IS NOT TRUE THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', p_field, 'problem', p_problem));
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION st_lock(p_id uuid) RETURNS structures
LANGUAGE plpgsql AS $$
DECLARE
    v structures;
BEGIN
    SELECT * INTO v FROM structures WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('structureId', p_id));
    END IF;
    RETURN v;
END;
$$;

-- Chunk index of a world coordinate: floor(v / 128), CHUNK_SIZE of libs/world-domain.
CREATE OR REPLACE FUNCTION st_chunk_of(p_v double precision) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT floor(p_v / 128.0)::integer;
$$;
