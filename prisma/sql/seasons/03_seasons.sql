-- seasons: ending a season and starting the next (POST /v1/admin/seasons), and the frozen standings
-- of ended seasons (GET /v1/seasons/{id}/leaderboards/{board}). docs/leaderboards.md "Seasons".

-- Ends the current season at now(), freezes every board into leaderboard_archives (ranked as the
-- live boards rank: score descending, equal scores sharing a rank, listed by id descending; the
-- kill boards are those of the UTC day and the ISO week at the end) and starts the next season, in
-- this one transaction. p_caller/p_key/p_request_hash: the Idempotency-Key's claim (NULL without).
-- Returns {ended, started, archived: {board: entries}}.
CREATE OR REPLACE FUNCTION seasons.start_season(p_caller text, p_key varchar, p_request_hash varchar,
                                                p_id uuid, p_name text, p_wipe text, p_starts_at timestamptz)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_current seasons.seasons%ROWTYPE;
    v_next seasons.seasons%ROWTYPE;
    v_end timestamptz := now();
    v_day timestamptz := date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    v_week timestamptz := date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    v_archived jsonb;
    v_result jsonb;
BEGIN
    IF p_name IS NULL OR length(btrim(p_name)) = 0 OR length(p_name) > 64 THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'name'));
    END IF;
    IF p_wipe IS NULL OR p_wipe NOT IN ('none', 'map', 'full') THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'wipe'));
    END IF;
    IF p_starts_at IS NOT NULL AND p_starts_at < v_end - interval '1 minute' THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'startsAt'));
    END IF;
    IF p_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_key, p_request_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    -- The current season, locked. A concurrent start that committed first ended it: the second
    -- statement (a new snapshot) finds the season that one started.
    FOR attempt IN 1..2 LOOP
        SELECT * INTO v_current FROM seasons.seasons WHERE ended_at IS NULL FOR UPDATE;
        EXIT WHEN FOUND;
    END LOOP;
    IF v_current.id IS NULL THEN
        PERFORM raise_error('CONFLICT', jsonb_build_object('reason', 'NO_CURRENT_SEASON'));
    END IF;
    IF EXISTS (SELECT 1 FROM seasons.seasons WHERE id = p_id) THEN
        PERFORM raise_error('CONFLICT', jsonb_build_object('reason', 'SEASON_EXISTS', 'id', p_id));
    END IF;

    UPDATE seasons.seasons SET ended_at = greatest(v_end, started_at) WHERE id = v_current.id
    RETURNING * INTO v_current;
    INSERT INTO seasons.leaderboard_archives (season_id, board, rank, entity_id, name, score)
    SELECT v_current.id, b.board,
           rank() OVER (PARTITION BY b.board ORDER BY s.score DESC),
           s.entity_id, left(s.name, 64), s.score
      FROM (VALUES ('kills:daily', v_day, v_day + interval '1 day'),
                   ('kills:weekly', v_week, v_week + interval '7 days'),
                   ('wealth', v_end, v_end),
                   ('playtime', v_end, v_end),
                   ('faction:power', v_end, v_end)) AS b(board, p_from, p_to)
     CROSS JOIN LATERAL seasons.board_scores(b.board, b.p_from, b.p_to) s;
    SELECT coalesce(jsonb_object_agg(board, n), '{}'::jsonb) INTO v_archived
      FROM (SELECT b.board, count(a.entity_id) AS n
              FROM unnest(ARRAY['kills:daily', 'kills:weekly', 'wealth', 'playtime', 'faction:power']) AS b(board)
              LEFT JOIN seasons.leaderboard_archives a ON a.season_id = v_current.id AND a.board = b.board
             GROUP BY b.board) c;

    INSERT INTO seasons.seasons (id, name, wipe, started_at)
    VALUES (p_id, btrim(p_name), p_wipe, coalesce(p_starts_at, v_end))
    RETURNING * INTO v_next;

    v_result := jsonb_build_object('ended', seasons.season_json(v_current), 'started', seasons.season_json(v_next),
                                   'archived', v_archived);
    IF p_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

CREATE OR REPLACE FUNCTION seasons.season_json(s seasons.seasons)
RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('id', s.id, 'name', s.name, 'wipe', s.wipe,
                              'startedAt', to_char(s.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                              'endedAt', CASE WHEN s.ended_at IS NULL THEN NULL
                                              ELSE to_char(s.ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END);
$$;

-- Every season, the newest first.
CREATE OR REPLACE FUNCTION seasons.list_seasons()
RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(seasons.season_json(s) ORDER BY s.started_at DESC, s.id DESC), '[]'::jsonb)
      FROM seasons.seasons s;
$$;

-- One page of an ended season's frozen board: {season, entries: [{rank, id, name, score}]}.
-- An unknown season is NOT_FOUND; the current one has no frozen standings yet (NOT_FOUND, reason
-- SEASON_NOT_ENDED: its live boards are GET /v1/leaderboards/{board}).
CREATE OR REPLACE FUNCTION seasons.season_board(p_season uuid, p_board text, p_limit int, p_offset int)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_season seasons.seasons%ROWTYPE;
BEGIN
    SELECT * INTO v_season FROM seasons.seasons WHERE id = p_season;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('field', 'id', 'id', p_season));
    END IF;
    IF v_season.ended_at IS NULL THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('field', 'id', 'id', p_season,
                                                            'reason', 'SEASON_NOT_ENDED'));
    END IF;
    RETURN jsonb_build_object(
        'season', seasons.season_json(v_season),
        'entries', coalesce((
            SELECT jsonb_agg(jsonb_build_object('rank', a.rank, 'id', a.entity_id, 'name', a.name, 'score', a.score)
                             ORDER BY a.rank, a.entity_id DESC)
              FROM (SELECT * FROM seasons.leaderboard_archives
                     WHERE season_id = p_season AND board = p_board
                     ORDER BY rank, entity_id DESC
                     LIMIT p_limit OFFSET p_offset) a), '[]'::jsonb));
END;
$$;
