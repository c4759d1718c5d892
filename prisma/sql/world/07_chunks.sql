-- world: the statement triggers that stamp world_chunks.last_modified when structures come and go.

-- world_chunks.last_modified follows what is built in a chunk: placing or removing structures
-- (placement, destruction, decay) stamps the chunk's row, once per statement and chunk, with the
-- transaction's time. Statement-level triggers with transition tables keep a decay batch that
-- destroys thousands of structures at one UPDATE per chunk. A chunk nobody has loaded yet has no
-- row; its first load stamps it.
CREATE OR REPLACE FUNCTION world_chunks_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE world_chunks c SET last_modified = now()
      FROM (SELECT DISTINCT chunk_x, chunk_z FROM changed) s
     WHERE c.x = s.chunk_x AND c.z = s.chunk_z;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER structures_touch_chunk_insert
    AFTER INSERT ON structures REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION world_chunks_touch();

CREATE OR REPLACE TRIGGER structures_touch_chunk_delete
    AFTER DELETE ON structures REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION world_chunks_touch();
