-- factions: reputation from territory captures (issue 14, rule 4). Called by the factions
-- service's consumer of world's evt.world.territory.captured.v1 in the transaction that marks the
-- event processed (libs/bus EventConsumer), so a redelivered event changes nothing again.
--
-- The rule (docs/factions.md): the capturing faction gains 10 reputation, the faction that lost
-- the territory (if any, and another one) loses 5, never below 0. A disbanded faction keeps its
-- reputation as it was.
CREATE OR REPLACE FUNCTION factions.record_territory_capture(p_event jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_captor uuid := (p_event ->> 'factionId')::uuid;
    v_previous uuid := (p_event ->> 'previousOwnerFactionId')::uuid;
    v_gained int;
    v_lost int;
BEGIN
    UPDATE factions.factions SET reputation = COALESCE(reputation, 0) + 10
     WHERE id = v_captor AND disbanded_at IS NULL;
    GET DIAGNOSTICS v_gained = ROW_COUNT;
    UPDATE factions.factions SET reputation = greatest(0, COALESCE(reputation, 0) - 5)
     WHERE id = v_previous AND v_previous IS DISTINCT FROM v_captor AND disbanded_at IS NULL;
    GET DIAGNOSTICS v_lost = ROW_COUNT;
    RETURN jsonb_build_object('captor', v_gained > 0, 'previousOwner', v_lost > 0);
END;
$$;
