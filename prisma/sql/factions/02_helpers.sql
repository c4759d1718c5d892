-- factions: helpers of the operations (issue 14). Ranks, the documented permission set and each
-- rank's defaults, the caller's access check, the views and the outbox.

-- The ledger of the treasury is append-only (platform's refuse_ledger_change).
CREATE OR REPLACE TRIGGER faction_ledger_append_only
    BEFORE UPDATE OR DELETE ON factions.faction_ledger
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE OR REPLACE TRIGGER faction_ledger_no_truncate
    BEFORE TRUNCATE ON factions.faction_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();

-- VALIDATION_FAILED naming the field unless p_ok.
CREATE OR REPLACE FUNCTION factions.fct_require(p_ok boolean, p_field text, p_problem text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_ok IS NOT TRUE THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', p_field, 'problem', p_problem));
    END IF;
END;
$$;

-- The documented permissions (docs/factions.md), in their documented order.
CREATE OR REPLACE FUNCTION factions.fct_permissions() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['invite', 'kick', 'promote', 'manage', 'build', 'open_storage', 'treasury_deposit',
                 'treasury_withdraw', 'territory_capture'];
$$;

-- Leader 4 > officer 3 > member 2 > recruit 1: a member acts only on lower ranks.
CREATE OR REPLACE FUNCTION factions.fct_rank_level(p_rank factions.faction_rank) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_rank WHEN 'leader' THEN 4 WHEN 'officer' THEN 3 WHEN 'member' THEN 2 ELSE 1 END;
$$;

-- A rank's permissions when it is given (join, promotion without an explicit set, handover).
CREATE OR REPLACE FUNCTION factions.fct_default_permissions(p_rank factions.faction_rank) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT to_jsonb(CASE p_rank
        WHEN 'leader' THEN factions.fct_permissions()
        WHEN 'officer' THEN ARRAY['invite', 'kick', 'promote', 'build', 'open_storage', 'treasury_deposit',
                                  'treasury_withdraw', 'territory_capture']
        WHEN 'member' THEN ARRAY['build', 'open_storage', 'treasury_deposit', 'territory_capture']
        ELSE ARRAY['treasury_deposit'] END);
$$;

-- Whether a member holds a permission (the leader holds all of them).
CREATE OR REPLACE FUNCTION factions.fct_has(p_rank factions.faction_rank, p_permissions jsonb, p_permission text)
RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_rank = 'leader' OR COALESCE(p_permissions ? p_permission, false);
$$;

-- Checks a permission list: an array of distinct documented permissions.
CREATE OR REPLACE FUNCTION factions.fct_check_permissions(p_permissions jsonb, p_field text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_bad text;
BEGIN
    PERFORM factions.fct_require(jsonb_typeof(p_permissions) = 'array', p_field, 'must be an array');
    SELECT COALESCE(e #>> '{}', e::text) INTO v_bad FROM jsonb_array_elements(p_permissions) e
     WHERE jsonb_typeof(e) <> 'string' OR NOT (e #>> '{}' = ANY (factions.fct_permissions())) LIMIT 1;
    PERFORM factions.fct_require(v_bad IS NULL, p_field, 'unknown permission ' || COALESCE(v_bad, ''));
    PERFORM factions.fct_require((SELECT count(DISTINCT e) = count(*) FROM jsonb_array_elements(p_permissions) e),
                                 p_field, 'must not repeat a permission');
END;
$$;

-- The caller may act for p_player_id: a game server for a character joined to it, an admin for
-- anyone; a player never changes a faction (the kit refuses it first; this holds even without it).
CREATE OR REPLACE FUNCTION factions.fct_check_actor(p_principal jsonb, p_player_id uuid) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_server uuid;
BEGIN
    IF p_principal->>'kind' NOT IN ('server', 'admin') OR p_principal->>'kind' IS NULL THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('reason', 'SERVERS_ONLY'));
    END IF;
    SELECT server_id INTO v_server FROM accounts.players WHERE id = p_player_id;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('playerId', p_player_id));
    END IF;
    IF p_principal->>'kind' = 'server' AND v_server IS DISTINCT FROM (p_principal->>'serverId')::uuid THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('playerId', p_player_id,
                            'reason', 'NOT_JOINED_TO_THIS_SERVER'));
    END IF;
END;
$$;

-- The faction row, locked: every change of a faction's membership or treasury queues on it.
-- NOT_FOUND for an unknown or disbanded faction.
CREATE OR REPLACE FUNCTION factions.fct_lock_faction(p_faction_id uuid) RETURNS factions.factions
LANGUAGE plpgsql AS $$
DECLARE
    v factions.factions;
BEGIN
    SELECT * INTO v FROM factions.factions WHERE id = p_faction_id FOR UPDATE;
    IF NOT FOUND OR v.disbanded_at IS NOT NULL THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('factionId', p_faction_id));
    END IF;
    RETURN v;
END;
$$;

-- A member of the faction, locked; FORBIDDEN NOT_A_MEMBER (the acting one) or NOT_FOUND (the one
-- acted on) when p_player_id is not in it.
CREATE OR REPLACE FUNCTION factions.fct_member(p_faction_id uuid, p_player_id uuid, p_acting boolean)
RETURNS factions.faction_members
LANGUAGE plpgsql AS $$
DECLARE
    v factions.faction_members;
BEGIN
    SELECT * INTO v FROM factions.faction_members WHERE faction_id = p_faction_id AND player_id = p_player_id
       FOR UPDATE;
    IF NOT FOUND AND p_acting THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('factionId', p_faction_id, 'playerId', p_player_id,
                            'reason', 'NOT_A_MEMBER'));
    ELSIF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('factionId', p_faction_id, 'playerId', p_player_id,
                            'reason', 'NOT_A_MEMBER'));
    END IF;
    RETURN v;
END;
$$;

-- FORBIDDEN MISSING_PERMISSION unless the member holds p_permission.
CREATE OR REPLACE FUNCTION factions.fct_require_permission(p_member factions.faction_members, p_permission text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT factions.fct_has(p_member.rank, p_member.permissions, p_permission) THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('playerId', p_member.player_id,
                            'reason', 'MISSING_PERMISSION', 'permission', p_permission));
    END IF;
END;
$$;

-- FORBIDDEN RANK_NOT_HIGHER unless the actor's rank is above the target's.
CREATE OR REPLACE FUNCTION factions.fct_require_higher(p_actor factions.faction_members, p_target factions.faction_members)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF factions.fct_rank_level(p_actor.rank) <= factions.fct_rank_level(p_target.rank) THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('playerId', p_target.player_id,
                            'reason', 'RANK_NOT_HIGHER', 'rank', p_target.rank));
    END IF;
END;
$$;

-- One event in the outbox, in the caller's transaction (the relay publishes it after commit).
CREATE OR REPLACE FUNCTION factions.fct_event(p_subject text, p_payload jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox (id, subject, payload, headers, created_at)
    VALUES (gen_random_uuid(), p_subject, p_payload, '{}', clock_timestamp());
    PERFORM pg_notify('outbox_enqueued', '');
END;
$$;

-- A member's view: {playerId, characterName, rank, permissions, joinedAt, lastOnline, contributionPoints}.
CREATE OR REPLACE FUNCTION factions.member_json(p_faction_id uuid, p_player_id uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('playerId', m.player_id, 'characterName', p.character_name, 'rank', m.rank,
                              'permissions', m.permissions, 'joinedAt', m.joined_at,
                              'lastOnline', COALESCE(greatest(p.last_seen, m.last_online), m.last_online),
                              'contributionPoints', m.contribution_points)
      FROM factions.faction_members m JOIN accounts.players p ON p.id = m.player_id
     WHERE m.faction_id = p_faction_id AND m.player_id = p_player_id;
$$;

-- A faction's view; with p_members, its members too (highest rank first, then by joining). The
-- webhook URL itself is a secret of the faction: the view says only whether one is set.
CREATE OR REPLACE FUNCTION factions.faction_json(p_faction_id uuid, p_members boolean) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', f.id, 'name', f.name, 'tag', f.tag, 'description', f.description,
                              'leaderId', f.leader_id, 'treasury', f.treasury, 'reputation', f.reputation,
                              'color', f.color, 'hasWebhook', f.discord_webhook IS NOT NULL,
                              'webhookDisabledAt', f.webhook_disabled_at,
                              'webhookDisabledReason', f.webhook_disabled_reason,
                              'memberCount', f.member_count, 'maxMembers', f.max_members, 'createdAt', f.created_at)
           || CASE WHEN p_members THEN jsonb_build_object('members', COALESCE((
                  SELECT jsonb_agg(factions.member_json(m.faction_id, m.player_id)
                                   ORDER BY factions.fct_rank_level(m.rank) DESC, m.joined_at, m.player_id)
                    FROM factions.faction_members m WHERE m.faction_id = f.id), '[]'::jsonb))
              ELSE '{}'::jsonb END
      FROM factions.factions f WHERE f.id = p_faction_id;
$$;
