-- combat: retention of the hit ids seen (issue 11, bounded growth). A hit id is remembered so that
-- a retried hit is not applied twice; a game server retries within minutes, so the worker's
-- retention.purge forgets ids older than the idempotency window, oldest first, a batch at a time.
CREATE OR REPLACE FUNCTION purge_seen_hits(p_cutoff timestamptz, p_limit integer)
RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = combat, platform, public, pg_temp AS $$
    WITH gone AS (
        DELETE FROM seen_hits WHERE hit_id IN (
            SELECT hit_id FROM seen_hits WHERE seen_at < p_cutoff ORDER BY seen_at LIMIT p_limit)
        RETURNING 1)
    SELECT count(*)::integer FROM gone;
$$;

ALTER FUNCTION purge_seen_hits(timestamptz, integer) OWNER TO tn1_combat;
GRANT USAGE ON SCHEMA combat TO tn1_worker;
GRANT EXECUTE ON FUNCTION purge_seen_hits(timestamptz, integer) TO tn1_worker;
