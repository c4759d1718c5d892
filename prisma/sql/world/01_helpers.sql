-- world: helpers of the world procedures: errors, field checks, the structure row lock and the
-- chunk of a coordinate.
--
-- Errors: SQLSTATE P0001, MESSAGE = an ErrorCode of @trustno1/contracts (BUILD_BLOCKED,
-- LIMIT_REACHED, NOT_FOUND, CONFLICT, VALIDATION_FAILED with {field, problem}), DETAIL = a JSON
-- object with the particulars. The world service maps them one to one. Errors of transfer_item
-- (moving a destroyed structure's storage) keep the inventory codes.

CREATE OR REPLACE FUNCTION st_fail(p_code text, p_detail jsonb DEFAULT '{}') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = p_code, DETAIL = COALESCE(p_detail, '{}')::text;
END;
$$;

CREATE OR REPLACE FUNCTION world_entity_fail(p_code text, p_detail jsonb DEFAULT '{}') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = p_code, DETAIL = COALESCE(p_detail, '{}')::text;
END;
$$;

CREATE OR REPLACE FUNCTION st_require(p_ok boolean, p_field text, p_problem text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_ok IS NOT TRUE THEN
        PERFORM st_fail('VALIDATION_FAILED', jsonb_build_object('field', p_field, 'problem', p_problem));
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
        PERFORM st_fail('NOT_FOUND', jsonb_build_object('structureId', p_id));
    END IF;
    RETURN v;
END;
$$;

-- Chunk index of a world coordinate: floor(v / 128), CHUNK_SIZE of libs/world-domain.
CREATE OR REPLACE FUNCTION st_chunk_of(p_v double precision) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT floor(p_v / 128.0)::integer;
$$;
