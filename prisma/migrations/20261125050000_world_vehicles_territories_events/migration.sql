-- Vehicles, territories and world events (issue 5, part 2): the rules the world service keeps
-- under row locks, one procedure call per operation.
--
-- Errors: RAISE EXCEPTION with SQLSTATE P0001, MESSAGE = an ErrorCode of @trustno1/contracts
-- (NOT_FOUND, CONFLICT, LIMIT_REACHED, VALIDATION_FAILED), DETAIL = a JSON object with the
-- particulars (`field` names the bad field of a VALIDATION_FAILED). The world service maps them one
-- to one.

CREATE FUNCTION world_entity_fail(p_code text, p_detail jsonb DEFAULT '{}') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = p_code, DETAIL = COALESCE(p_detail, '{}')::text;
END;
$$;

-- --- vehicles ------------------------------------------------------------------------------------

-- The instant decay was last applied, so a repeated decay tick applies nothing twice.
ALTER TABLE vehicles ADD COLUMN last_decay_at TIMESTAMPTZ;

ALTER TABLE vehicles ADD CONSTRAINT vehicles_fuel_check
    CHECK (fuel_max > 0 AND fuel_current >= 0 AND fuel_current <= fuel_max);
ALTER TABLE vehicles ADD CONSTRAINT vehicles_health_check
    CHECK (max_health > 0 AND health >= 0 AND health <= max_health);
-- Damage is a fraction: 0 intact, 1 wrecked.
ALTER TABLE vehicles ADD CONSTRAINT vehicles_engine_damage_check
    CHECK (engine_damage IS NULL OR (engine_damage >= 0 AND engine_damage <= 1));
ALTER TABLE vehicles ADD CONSTRAINT vehicles_tire_damage_check
    CHECK (tire_damage IS NULL OR jsonb_typeof(tire_damage) = 'array');

-- GET /v1/chunks lists a chunk's vehicles; the decay scan looks for the long unused ones.
CREATE INDEX idx_vehicles_chunk ON vehicles(chunk_x, chunk_z);
CREATE INDEX idx_vehicles_last_used ON vehicles(last_used);

-- Decays vehicles nobody used for p_abandon_hours: each loses p_loss_per_hour × max_health per
-- hour since max(last_used + p_abandon_hours, last_decay_at), and is destroyed at 0: every item of
-- its inventory goes through destroy_item (one item_ledger row each), then the inventory and the
-- vehicle rows are deleted. At most p_limit vehicles per call; rows locked by a concurrent caller
-- are skipped, and a vehicle already decayed up to p_now is not selected, so calling again with
-- the same p_now changes nothing. Returns {decayed, destroyed: [vehicle ids]}.
CREATE FUNCTION decay_vehicles(p_now timestamptz, p_abandon_hours double precision,
                               p_loss_per_hour double precision, p_limit integer)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_abandon interval := make_interval(secs => p_abandon_hours * 3600);
    v vehicles;
    v_from timestamptz;
    v_health double precision;
    v_item uuid;
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
        IF v.inventory_id IS NOT NULL THEN
            FOR v_item IN SELECT id FROM inventory_items WHERE inventory_id = v.inventory_id ORDER BY id LOOP
                PERFORM destroy_item(v_item, NULL, 'vehicle_decayed', 'vehicle:' || v.id);
            END LOOP;
        END IF;
        DELETE FROM vehicles WHERE id = v.id;
        DELETE FROM inventories WHERE id = v.inventory_id;
        v_destroyed := v_destroyed || v.id;
    END LOOP;
    RETURN jsonb_build_object('decayed', v_decayed, 'destroyed', to_jsonb(v_destroyed));
END;
$$;

-- --- territories ---------------------------------------------------------------------------------

-- The faction whose progress capture_points counts while the territory is contested (NULL when
-- capture_points is 0). No foreign key, like the ledgers: progress of a disbanded faction is
-- simply overtaken; capture_territory checks that a capturing faction exists.
ALTER TABLE territories ADD COLUMN capturing_faction_id UUID;

ALTER TABLE territories ADD CONSTRAINT territories_shape_check
    CHECK (radius > 0 AND max_capture_points > 0);
ALTER TABLE territories ADD CONSTRAINT territories_capture_points_check
    CHECK (capture_points >= 0 AND capture_points <= max_capture_points);
ALTER TABLE territories ADD CONSTRAINT territories_capturing_check
    CHECK ((capture_points = 0) = (capturing_faction_id IS NULL));

-- One capture attempt of p_points by p_faction_id, under the territory's row lock:
--  * the owner defends: its points take away the attackers' progress (down to 0, when the
--    territory stops being under attack); with no progress to undo they do nothing;
--  * another faction attacks: its points first undo a different attacker's progress, the rest
--    (if any) becomes its own progress; under_attack and last_attacked are set;
--  * progress reaching max_capture_points makes the attacker the owner (captured_at = p_now),
--    and progress starts again from 0 with no attacker.
-- Returns the territory's API view plus `captured` and `previousOwnerFactionId`.
CREATE FUNCTION capture_territory(p_territory_id uuid, p_faction_id uuid, p_points integer,
                                  p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    t territories;
    v_left int;
    v_captured boolean := false;
    v_previous uuid;
BEGIN
    IF p_points IS NULL OR p_points < 1 THEN
        PERFORM world_entity_fail('VALIDATION_FAILED', jsonb_build_object('field', 'points', 'problem', 'at least 1'));
    END IF;
    SELECT * INTO t FROM territories WHERE id = p_territory_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM world_entity_fail('NOT_FOUND', jsonb_build_object('territoryId', p_territory_id));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM factions WHERE id = p_faction_id) THEN
        PERFORM world_entity_fail('NOT_FOUND', jsonb_build_object('factionId', p_faction_id));
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

-- The API's territory shape (camelCase of the columns).
CREATE FUNCTION territory_json(t territories) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object(
        'id', t.id, 'name', t.name, 'centerX', t.center_x, 'centerZ', t.center_z, 'radius', t.radius,
        'ownerFactionId', t.owner_faction_id, 'capturedAt', t.captured_at,
        'capturePoints', COALESCE(t.capture_points, 0), 'maxCapturePoints', t.max_capture_points,
        'capturingFactionId', t.capturing_faction_id,
        'resourcesGenerated', COALESCE(t.resources_generated, '{}'::jsonb),
        'underAttack', COALESCE(t.under_attack, false), 'lastAttacked', t.last_attacked,
        'buildingAllowed', COALESCE(t.building_allowed, true));
$$;

-- What owned territories generated, one row per territory and hour (the hour that ended at the
-- schedule's tick), credited to the faction that owned it at that tick. Append-only like the
-- other ledgers and without foreign keys, so history outlives territories and factions; the
-- factions service pays these rows into treasuries once it exists.
CREATE TABLE territory_resource_ledger (
    id           BIGSERIAL PRIMARY KEY,
    territory_id UUID NOT NULL,
    faction_id   UUID NOT NULL,
    hour         TIMESTAMPTZ NOT NULL,
    resources    JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT territory_resource_ledger_territory_id_hour_key UNIQUE (territory_id, hour)
);

CREATE INDEX idx_territory_resource_ledger_faction ON territory_resource_ledger(faction_id, hour);

CREATE TRIGGER territory_resource_ledger_append_only
    BEFORE UPDATE OR DELETE ON territory_resource_ledger
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER territory_resource_ledger_no_truncate
    BEFORE TRUNCATE ON territory_resource_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();

-- Credits the hour ending at p_hour_end to every owned territory with resources; a second call for
-- the same hour inserts nothing. Returns the number of rows written.
CREATE FUNCTION credit_territory_resources(p_hour_end timestamptz) RETURNS integer
LANGUAGE sql AS $$
    WITH ins AS (
        INSERT INTO territory_resource_ledger (territory_id, faction_id, hour, resources)
        SELECT id, owner_faction_id, date_trunc('hour', p_hour_end) - interval '1 hour', resources_generated
          FROM territories
         WHERE owner_faction_id IS NOT NULL
           AND resources_generated IS NOT NULL AND resources_generated <> '{}'::jsonb
        ON CONFLICT (territory_id, hour) DO NOTHING
        RETURNING 1
    )
    SELECT count(*)::int FROM ins;
$$;

-- --- world events --------------------------------------------------------------------------------

-- One row per spawn request (template, region and tick): a unique key on world_events would have
-- to include its partition column `completed`, which changes, so the dedupe lives here.
CREATE TABLE world_event_spawns (
    spawn_key  VARCHAR(160) PRIMARY KEY,
    event_id   UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

ALTER TABLE world_events ADD CONSTRAINT world_events_window_check CHECK (ends_at > started_at);

-- Adds p_player_id to an active event once. Refuses an ended event (CONFLICT, reason EVENT_ENDED)
-- and a full one (LIMIT_REACHED, data.maxParticipants). Returns {joined, event}.
CREATE FUNCTION join_world_event(p_event_id uuid, p_player_id uuid, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    e world_events;
    v_max int;
BEGIN
    SELECT * INTO e FROM world_events WHERE id = p_event_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM world_entity_fail('NOT_FOUND', jsonb_build_object('eventId', p_event_id));
    END IF;
    IF e.completed OR e.ends_at <= p_now THEN
        PERFORM world_entity_fail('CONFLICT', jsonb_build_object('eventId', p_event_id, 'reason', 'EVENT_ENDED'));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM players WHERE id = p_player_id) THEN
        PERFORM world_entity_fail('NOT_FOUND', jsonb_build_object('playerId', p_player_id));
    END IF;
    IF p_player_id = ANY (COALESCE(e.participants, '{}')) THEN
        RETURN jsonb_build_object('joined', false, 'event', world_event_json(e));
    END IF;
    v_max := (e.data ->> 'maxParticipants')::int;
    IF v_max IS NOT NULL AND cardinality(COALESCE(e.participants, '{}')) >= v_max THEN
        PERFORM world_entity_fail('LIMIT_REACHED', jsonb_build_object('eventId', p_event_id,
            'maxParticipants', v_max));
    END IF;
    UPDATE world_events SET participants = array_append(COALESCE(participants, '{}'), p_player_id)
     WHERE id = p_event_id AND completed = false
    RETURNING * INTO e;
    RETURN jsonb_build_object('joined', true, 'event', world_event_json(e));
END;
$$;

-- Completes an active event with a winner among its participants and the rolled rewards. The
-- UPDATE of `completed` moves the row to world_events_completed. Returns the event.
CREATE FUNCTION complete_world_event(p_event_id uuid, p_winner_id uuid, p_rewards jsonb, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    e world_events;
BEGIN
    SELECT * INTO e FROM world_events WHERE id = p_event_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM world_entity_fail('NOT_FOUND', jsonb_build_object('eventId', p_event_id));
    END IF;
    IF e.completed THEN
        PERFORM world_entity_fail('CONFLICT', jsonb_build_object('eventId', p_event_id, 'reason', 'EVENT_COMPLETED'));
    END IF;
    IF NOT p_winner_id = ANY (COALESCE(e.participants, '{}')) THEN
        PERFORM world_entity_fail('VALIDATION_FAILED', jsonb_build_object('field', 'winnerId',
            'problem', 'must be a participant of the event'));
    END IF;
    UPDATE world_events
       SET completed = true, winner_id = p_winner_id, rewards = p_rewards,
           data = data || jsonb_build_object('outcome', 'won', 'completedAt', p_now)
     WHERE id = p_event_id AND completed = false
    RETURNING * INTO e;
    RETURN world_event_json(e);
END;
$$;

-- Completes every active event whose time is over, without a winner. Returns their ids.
CREATE FUNCTION expire_world_events(p_now timestamptz) RETURNS uuid[]
LANGUAGE sql AS $$
    WITH done AS (
        UPDATE world_events
           SET completed = true, data = data || jsonb_build_object('outcome', 'expired', 'completedAt', p_now)
         WHERE completed = false AND ends_at <= p_now
        RETURNING id
    )
    SELECT COALESCE(array_agg(id ORDER BY id), '{}') FROM done;
$$;

-- The API's event shape.
CREATE FUNCTION world_event_json(e world_events) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object(
        'id', e.id, 'eventType', e.event_type, 'name', e.name, 'description', e.description,
        'location', e.location, 'chunkX', e.chunk_x, 'chunkZ', e.chunk_z,
        'participants', to_jsonb(COALESCE(e.participants, '{}')), 'rewards', e.rewards,
        'maxParticipants', (e.data ->> 'maxParticipants')::int,
        'startedAt', e.started_at, 'endsAt', e.ends_at, 'completed', e.completed,
        'winnerId', e.winner_id, 'outcome', e.data ->> 'outcome');
$$;
