-- world: territories: the API's territory shape, capture under the row lock, and the hourly
-- resource ledger (append-only, paid out by factions later).

-- The API's territory shape (camelCase of the columns).
-- STABLE, not IMMUTABLE: timestamps become JSON text in the session's TimeZone (migration
-- 20261125080000_json_views_stable).
CREATE OR REPLACE FUNCTION territory_json(t territories) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', t.id, 'name', t.name, 'centerX', t.center_x, 'centerZ', t.center_z, 'radius', t.radius,
        'ownerFactionId', t.owner_faction_id, 'capturedAt', t.captured_at,
        'capturePoints', COALESCE(t.capture_points, 0), 'maxCapturePoints', t.max_capture_points,
        'capturingFactionId', t.capturing_faction_id,
        'resourcesGenerated', COALESCE(t.resources_generated, '{}'::jsonb),
        'underAttack', COALESCE(t.under_attack, false), 'lastAttacked', t.last_attacked,
        'buildingAllowed', COALESCE(t.building_allowed, true));
$$;

-- One capture attempt of p_points by p_faction_id, under the territory's row lock:
--  * the owner defends: its points take away the attackers' progress (down to 0, when the
--    territory stops being under attack); with no progress to undo they do nothing;
--  * another faction attacks: its points first undo a different attacker's progress, the rest
--    (if any) becomes its own progress; under_attack and last_attacked are set;
--  * progress reaching max_capture_points makes the attacker the owner (captured_at = p_now),
--    and progress starts again from 0 with no attacker.
-- The points count only for p_player_id, a character joined to the calling server (p_server_id)
-- that is a member of p_faction_id holding territory_capture (issue 14 rule 4, asked through
-- factions.member_has in this statement): FORBIDDEN NOT_JOINED_TO_THIS_SERVER or
-- NO_TERRITORY_CAPTURE otherwise.
-- Returns the territory's API view plus `captured` and `previousOwnerFactionId`.
CREATE OR REPLACE FUNCTION capture_territory(p_territory_id uuid, p_faction_id uuid, p_points integer,
                                  p_now timestamptz, p_player_id uuid, p_server_id uuid)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    t territories;
    v_left int;
    v_captured boolean := false;
    v_previous uuid;
BEGIN
    IF p_points IS NULL OR p_points < 1 THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'points', 'problem', 'at least 1'));
    END IF;
    SELECT * INTO t FROM territories WHERE id = p_territory_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('territoryId', p_territory_id));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM factions.factions WHERE id = p_faction_id) THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('factionId', p_faction_id));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM accounts.players WHERE id = p_player_id AND server_id = p_server_id) THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('playerId', p_player_id,
                            'reason', 'NOT_JOINED_TO_THIS_SERVER'));
    END IF;
    IF NOT factions.member_has(p_faction_id, p_player_id, 'territory_capture') THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('playerId', p_player_id, 'factionId', p_faction_id,
                            'reason', 'NO_TERRITORY_CAPTURE'));
    END IF;
    v_previous := t.owner_faction_id;

    IF p_faction_id IS NOT DISTINCT FROM t.owner_faction_id THEN
        t.capture_points := GREATEST(0, t.capture_points - p_points);
        IF t.capture_points = 0 THEN
            t.capturing_faction_id := NULL;
            t.under_attack := false;
        END IF;
    ELSE
        v_left := p_points;
        IF t.capturing_faction_id IS NOT NULL AND t.capturing_faction_id <> p_faction_id THEN
            v_left := GREATEST(0, p_points - t.capture_points);
            t.capture_points := GREATEST(0, t.capture_points - p_points);
            IF t.capture_points = 0 THEN
                t.capturing_faction_id := NULL;
            END IF;
        END IF;
        IF v_left > 0 THEN
            t.capturing_faction_id := p_faction_id;
            t.capture_points := LEAST(t.max_capture_points, t.capture_points + v_left);
        END IF;
        t.under_attack := true;
        t.last_attacked := p_now;
        IF t.capture_points >= t.max_capture_points THEN
            v_captured := true;
            t.owner_faction_id := p_faction_id;
            t.captured_at := p_now;
            t.capture_points := 0;
            t.capturing_faction_id := NULL;
            t.under_attack := false;
        END IF;
    END IF;

    UPDATE territories
       SET capture_points = t.capture_points, capturing_faction_id = t.capturing_faction_id,
           owner_faction_id = t.owner_faction_id, captured_at = t.captured_at,
           under_attack = t.under_attack, last_attacked = t.last_attacked
     WHERE id = t.id;
    RETURN territory_json(t) || jsonb_build_object('captured', v_captured,
                                                  'previousOwnerFactionId', v_previous);
END;
$$;

CREATE OR REPLACE TRIGGER territory_resource_ledger_append_only
    BEFORE UPDATE OR DELETE ON territory_resource_ledger
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

CREATE OR REPLACE TRIGGER territory_resource_ledger_no_truncate
    BEFORE TRUNCATE ON territory_resource_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();

-- Credits the hour ending at p_hour_end to every owned territory with resources; a second call for
-- the same hour inserts nothing. Each row written also writes
-- evt.world.territory.resources.credited.v1 {territoryId, factionId, hour, resources} to the
-- outbox (the factions service credits the owner's treasury from it, issue 14 rule 4). Returns the
-- number of rows written.
CREATE OR REPLACE FUNCTION credit_territory_resources(p_hour_end timestamptz) RETURNS integer
LANGUAGE sql AS $$
    WITH ins AS (
        INSERT INTO territory_resource_ledger (territory_id, faction_id, hour, resources)
        SELECT id, owner_faction_id, date_trunc('hour', p_hour_end) - interval '1 hour', resources_generated
          FROM territories
         WHERE owner_faction_id IS NOT NULL
           AND resources_generated IS NOT NULL AND resources_generated <> '{}'::jsonb
        ON CONFLICT (territory_id, hour) DO NOTHING
        RETURNING territory_id, faction_id, hour, resources
    ), events AS (
        INSERT INTO outbox (id, subject, payload, headers, created_at)
        SELECT gen_random_uuid(), 'evt.world.territory.resources.credited.v1',
               jsonb_build_object('territoryId', territory_id, 'factionId', faction_id, 'hour', hour,
                                  'resources', resources), '{}', clock_timestamp()
          FROM ins
        RETURNING 1
    )
    SELECT count(*)::int FROM ins;
$$;
