-- world: world events: the API's event shape, joining, completing and expiring. Updating
-- `completed` moves a row between the partitions of world_events.

-- The API's event shape.
-- STABLE, not IMMUTABLE: timestamps become JSON text in the session's TimeZone (migration
-- 20261125080000_json_views_stable).
CREATE OR REPLACE FUNCTION world_event_json(e world_events) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', e.id, 'eventType', e.event_type, 'name', e.name, 'description', e.description,
        'location', e.location, 'chunkX', e.chunk_x, 'chunkZ', e.chunk_z,
        'participants', to_jsonb(COALESCE(e.participants, '{}')), 'rewards', e.rewards,
        'maxParticipants', (e.data ->> 'maxParticipants')::int,
        'startedAt', e.started_at, 'endsAt', e.ends_at, 'completed', e.completed,
        'winnerId', e.winner_id, 'outcome', e.data ->> 'outcome',
        'rewardContainerInventoryId', e.data ->> 'rewardContainerInventoryId');
$$;

-- Adds p_player_id to an active event once. Refuses an ended event (CONFLICT, reason EVENT_ENDED)
-- and a full one (LIMIT_REACHED, data.maxParticipants). Returns {joined, event}.
CREATE OR REPLACE FUNCTION join_world_event(p_event_id uuid, p_player_id uuid, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    e world_events;
    v_max int;
BEGIN
    SELECT * INTO e FROM world_events WHERE id = p_event_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('eventId', p_event_id));
    END IF;
    IF e.completed OR e.ends_at <= p_now THEN
        PERFORM raise_error('CONFLICT', jsonb_build_object('eventId', p_event_id, 'reason', 'EVENT_ENDED'));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM accounts.players WHERE id = p_player_id) THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('playerId', p_player_id));
    END IF;
    IF p_player_id = ANY (COALESCE(e.participants, '{}')) THEN
        RETURN jsonb_build_object('joined', false, 'event', world_event_json(e));
    END IF;
    v_max := (e.data ->> 'maxParticipants')::int;
    IF v_max IS NOT NULL AND cardinality(COALESCE(e.participants, '{}')) >= v_max THEN
        PERFORM raise_error('LIMIT_REACHED', jsonb_build_object('eventId', p_event_id,
            'maxParticipants', v_max));
    END IF;
    UPDATE world_events SET participants = array_append(COALESCE(participants, '{}'), p_player_id)
     WHERE id = p_event_id AND completed = false
    RETURNING * INTO e;
    RETURN jsonb_build_object('joined', true, 'event', world_event_json(e));
END;
$$;

-- Completes an active event with a winner among its participants and the rolled rewards, and
-- delivers them in the same transaction: inventory's grant_items creates the items in the
-- winner's inventories (one 'create' item_ledger row per stack, reason 'event_reward', reference
-- 'event:<id>'), what does not fit going into one overflow container owned by the event. The
-- UPDATE of `completed` moves the row to world_events_completed, and only a row still active is
-- completed (under its row lock), so the rewards of an event are delivered once whatever retries
-- the completion. Returns the event view with {delivery: {items, containerInventoryId}}.
CREATE OR REPLACE FUNCTION complete_world_event(p_event_id uuid, p_winner_id uuid, p_rewards jsonb, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    e world_events;
    v_delivery jsonb;
BEGIN
    SELECT * INTO e FROM world_events WHERE id = p_event_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('eventId', p_event_id));
    END IF;
    IF e.completed THEN
        PERFORM raise_error('CONFLICT', jsonb_build_object('eventId', p_event_id, 'reason', 'EVENT_COMPLETED'));
    END IF;
    IF NOT p_winner_id = ANY (COALESCE(e.participants, '{}')) THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'winnerId',
            'problem', 'must be a participant of the event'));
    END IF;
    v_delivery := inventory.grant_items(p_winner_id, COALESCE(p_rewards, '[]'), p_event_id, 'event_reward',
                                        'event:' || p_event_id);
    UPDATE world_events
       SET completed = true, winner_id = p_winner_id, rewards = p_rewards,
           data = data || jsonb_build_object('outcome', 'won', 'completedAt', p_now,
                                             'rewardContainerInventoryId', v_delivery -> 'containerInventoryId')
     WHERE id = p_event_id AND completed = false
    RETURNING * INTO e;
    RETURN world_event_json(e) || jsonb_build_object('delivery', v_delivery);
END;
$$;

-- Completes every active event whose time is over, without a winner. Returns their ids.
CREATE OR REPLACE FUNCTION expire_world_events(p_now timestamptz) RETURNS uuid[]
LANGUAGE sql AS $$
    WITH done AS (
        UPDATE world_events
           SET completed = true, data = data || jsonb_build_object('outcome', 'expired', 'completedAt', p_now)
         WHERE completed = false AND ends_at <= p_now
        RETURNING id
    )
    SELECT COALESCE(array_agg(id ORDER BY id), '{}') FROM done;
$$;
