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

-- Territory income (rule 4): world's evt.world.territory.resources.credited.v1, one per territory
-- and hour (world's territory_resource_ledger is unique on them), consumed exactly once. The
-- territory's `scrap` goes into the owning faction's treasury with a faction_ledger row
-- territory_income (reference territory:<id>:<hour>), a source of money; other resources stay on
-- world's ledger. A disbanded faction receives nothing. Returns the scrap credited.
CREATE OR REPLACE FUNCTION factions.credit_territory_income(p_event jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_faction uuid := (p_event ->> 'factionId')::uuid;
    v_scrap bigint;
    v_treasury bigint;
BEGIN
    v_scrap := CASE WHEN jsonb_typeof(p_event -> 'resources' -> 'scrap') = 'number'
                    THEN floor((p_event -> 'resources' ->> 'scrap')::numeric)::bigint ELSE 0 END;
    IF v_scrap <= 0 THEN
        RETURN 0;
    END IF;
    UPDATE factions.factions SET treasury = treasury + v_scrap
     WHERE id = v_faction AND disbanded_at IS NULL
    RETURNING treasury INTO v_treasury;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    INSERT INTO factions.faction_ledger (faction_id, player_id, delta, balance_after, reason, reference)
    VALUES (v_faction, NULL, v_scrap, v_treasury, 'territory_income',
            'territory:' || (p_event ->> 'territoryId') || ':' || (p_event ->> 'hour'));
    RETURN v_scrap;
END;
$$;
