-- factions: membership (issue 14, rules 1 and 2). One function per operation, each one database
-- round trip: the argument checks, the idempotency claim (p_caller, p_key, p_hash: the kit's
-- claim, NULL without an Idempotency-Key), the caller's access check, the faction row's lock (every
-- change of a faction queues on it, so max_members holds under racing joins), the change, the
-- outbox event and the stored response.

-- Name 3-64 characters, tag ^[A-Z0-9]{2,8}$, color ^#[0-9A-Fa-f]{6}$, description at most 1000.
CREATE OR REPLACE FUNCTION factions.fct_check_profile(p_description text, p_color text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM factions.fct_require(p_description IS NULL OR length(p_description) <= 1000, 'description',
                                 'at most 1000 characters');
    PERFORM factions.fct_require(p_color IS NULL OR p_color ~ '^#[0-9A-Fa-f]{6}$', 'color', 'must be #RRGGBB');
END;
$$;

-- POST /v1/factions: the founder (not in a faction) becomes its leader with every permission.
CREATE OR REPLACE FUNCTION factions.create_faction(p_principal jsonb, p_caller text, p_key text, p_hash text,
                                                   p_founder_id uuid, p_name text, p_tag text,
                                                   p_description text, p_color text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_id uuid := gen_random_uuid();
    v_faction uuid;
    v_constraint text;
    v_result jsonb;
BEGIN
    PERFORM factions.fct_require(p_founder_id IS NOT NULL, 'founderId', 'required');
    PERFORM factions.fct_require(p_name IS NOT NULL AND length(btrim(p_name)) BETWEEN 3 AND 64
                                 AND p_name = btrim(p_name), 'name', '3 to 64 characters, no surrounding spaces');
    PERFORM factions.fct_require(p_tag IS NOT NULL AND p_tag ~ '^[A-Z0-9]{2,8}$', 'tag',
                                 'must be 2 to 8 capital letters or digits');
    PERFORM factions.fct_check_profile(p_description, p_color);
    IF p_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_key, p_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    PERFORM factions.fct_check_actor(p_principal, p_founder_id);
    SELECT faction_id INTO v_faction FROM accounts.players WHERE id = p_founder_id FOR NO KEY UPDATE;
    IF v_faction IS NOT NULL THEN
        PERFORM raise_error('ALREADY_IN_FACTION', jsonb_build_object('playerId', p_founder_id,
                            'factionId', v_faction));
    END IF;
    BEGIN
        INSERT INTO factions.factions (id, name, tag, description, leader_id, treasury, reputation, color,
                                       member_count, max_members)
        VALUES (v_id, p_name, p_tag, p_description, p_founder_id, 0, 0, p_color, 1, 50);
    EXCEPTION WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME;
        IF v_constraint = 'factions_tag_key' THEN
            PERFORM raise_error('TAG_TAKEN', jsonb_build_object('tag', p_tag));
        END IF;
        PERFORM raise_error('NAME_TAKEN', jsonb_build_object('name', p_name));
    END;
    INSERT INTO factions.faction_members (faction_id, player_id, rank, permissions)
    VALUES (v_id, p_founder_id, 'leader', factions.fct_default_permissions('leader'));
    UPDATE accounts.players SET faction_id = v_id WHERE id = p_founder_id;
    DELETE FROM factions.faction_invites WHERE player_id = p_founder_id;
    PERFORM factions.fct_event('evt.factions.faction.created.v1', jsonb_build_object(
        'factionId', v_id, 'name', p_name, 'tag', p_tag, 'leaderId', p_founder_id, 'createdAt', now()));
    v_result := factions.faction_json(v_id, true);
    IF p_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

-- PATCH /v1/factions/{id} (needs manage). p_changes: the fields sent ({description, color,
-- discordWebhook, maxMembers}; a JSON null clears description, color or the webhook). A new
-- webhook is enabled again. maxMembers 1-500 and not below the member count.
CREATE OR REPLACE FUNCTION factions.update_faction(p_principal jsonb, p_caller text, p_key text, p_hash text,
                                                   p_faction_id uuid, p_by_player_id uuid, p_changes jsonb)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_faction factions.factions;
    v_actor factions.faction_members;
    v_max int;
    v_result jsonb;
BEGIN
    PERFORM factions.fct_require(p_faction_id IS NOT NULL, 'factionId', 'required');
    PERFORM factions.fct_require(p_by_player_id IS NOT NULL, 'byPlayerId', 'required');
    PERFORM factions.fct_require(jsonb_typeof(p_changes) = 'object', 'changes', 'must be an object');
    PERFORM factions.fct_require(p_changes->'description' IS NULL OR jsonb_typeof(p_changes->'description')
                                 IN ('string', 'null'), 'description', 'must be a string or null');
    PERFORM factions.fct_require(p_changes->'color' IS NULL OR jsonb_typeof(p_changes->'color')
                                 IN ('string', 'null'), 'color', 'must be a string or null');
    PERFORM factions.fct_check_profile(p_changes->>'description', p_changes->>'color');
    PERFORM factions.fct_require(p_changes->'discordWebhook' IS NULL
        OR jsonb_typeof(p_changes->'discordWebhook') = 'null'
        OR (jsonb_typeof(p_changes->'discordWebhook') = 'string'
            AND p_changes->>'discordWebhook' ~ '^https://[^\s/?#@]+(/[^\s]*)?$'
            AND length(p_changes->>'discordWebhook') <= 2048),
        'discordWebhook', 'must be an https URL of at most 2048 characters');
    PERFORM factions.fct_require(p_changes->'maxMembers' IS NULL
        OR (jsonb_typeof(p_changes->'maxMembers') = 'number' AND (p_changes->>'maxMembers') ~ '^[0-9]{1,3}$'
            AND (p_changes->>'maxMembers')::int BETWEEN 1 AND 500), 'maxMembers', 'must be an integer 1 to 500');
    IF p_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_key, p_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    PERFORM factions.fct_check_actor(p_principal, p_by_player_id);
    v_faction := factions.fct_lock_faction(p_faction_id);
    v_actor := factions.fct_member(p_faction_id, p_by_player_id, true);
    PERFORM factions.fct_require_permission(v_actor, 'manage');
    v_max := COALESCE((p_changes->>'maxMembers')::int, v_faction.max_members);
    IF v_max < v_faction.member_count THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'maxMembers',
            'problem', 'below the member count ' || v_faction.member_count));
    END IF;
    UPDATE factions.factions
       SET description = CASE WHEN p_changes ? 'description' THEN p_changes->>'description' ELSE description END,
           color = CASE WHEN p_changes ? 'color' THEN p_changes->>'color' ELSE color END,
           discord_webhook = CASE WHEN p_changes ? 'discordWebhook' THEN p_changes->>'discordWebhook'
                                  ELSE discord_webhook END,
           webhook_disabled_at = CASE WHEN p_changes ? 'discordWebhook' THEN NULL ELSE webhook_disabled_at END,
           webhook_disabled_reason = CASE WHEN p_changes ? 'discordWebhook' THEN NULL
                                          ELSE webhook_disabled_reason END,
           webhook_failures = CASE WHEN p_changes ? 'discordWebhook' THEN 0 ELSE webhook_failures END,
           max_members = v_max
     WHERE id = p_faction_id;
    v_result := factions.faction_json(p_faction_id, false);
    IF p_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

-- POST /v1/factions/{id}/invites (needs invite): p_player_id, not in a faction, may join until
-- now() + p_ttl_hours (FACTION_INVITE_TTL_HOURS). Inviting again renews the invitation.
CREATE OR REPLACE FUNCTION factions.invite_player(p_principal jsonb, p_caller text, p_key text, p_hash text,
                                                  p_faction_id uuid, p_by_player_id uuid, p_player_id uuid,
                                                  p_ttl_hours integer)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_actor factions.faction_members;
    v_faction uuid;
    v_result jsonb;
BEGIN
    PERFORM factions.fct_require(p_faction_id IS NOT NULL, 'factionId', 'required');
    PERFORM factions.fct_require(p_by_player_id IS NOT NULL, 'byPlayerId', 'required');
    PERFORM factions.fct_require(p_player_id IS NOT NULL, 'playerId', 'required');
    PERFORM factions.fct_require(p_ttl_hours BETWEEN 1 AND 8760, 'ttlHours', '1 to 8760');
    IF p_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_key, p_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    PERFORM factions.fct_check_actor(p_principal, p_by_player_id);
    PERFORM factions.fct_lock_faction(p_faction_id);
    v_actor := factions.fct_member(p_faction_id, p_by_player_id, true);
    PERFORM factions.fct_require_permission(v_actor, 'invite');
    SELECT faction_id INTO v_faction FROM accounts.players WHERE id = p_player_id;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('playerId', p_player_id));
    END IF;
    IF v_faction IS NOT NULL THEN
        PERFORM raise_error('ALREADY_IN_FACTION', jsonb_build_object('playerId', p_player_id,
                            'factionId', v_faction));
    END IF;
    INSERT INTO factions.faction_invites (faction_id, player_id, invited_by, created_at, expires_at)
    VALUES (p_faction_id, p_player_id, p_by_player_id, now(), now() + make_interval(hours => p_ttl_hours))
    ON CONFLICT (faction_id, player_id) DO UPDATE
       SET invited_by = EXCLUDED.invited_by, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at;
    SELECT jsonb_build_object('factionId', i.faction_id, 'playerId', i.player_id, 'invitedBy', i.invited_by,
                              'createdAt', i.created_at, 'expiresAt', i.expires_at)
      INTO v_result FROM factions.faction_invites i WHERE i.faction_id = p_faction_id AND i.player_id = p_player_id;
    IF p_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

-- DELETE /v1/factions/{id}/invites/{playerId} (needs invite): NOT_FOUND without a pending one.
CREATE OR REPLACE FUNCTION factions.withdraw_invite(p_principal jsonb, p_caller text, p_key text, p_hash text,
                                                    p_faction_id uuid, p_by_player_id uuid, p_player_id uuid)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_actor factions.faction_members;
BEGIN
    PERFORM factions.fct_require(p_faction_id IS NOT NULL, 'factionId', 'required');
    PERFORM factions.fct_require(p_by_player_id IS NOT NULL, 'byPlayerId', 'required');
    PERFORM factions.fct_require(p_player_id IS NOT NULL, 'playerId', 'required');
    IF p_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_key, p_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    PERFORM factions.fct_check_actor(p_principal, p_by_player_id);
    PERFORM factions.fct_lock_faction(p_faction_id);
    v_actor := factions.fct_member(p_faction_id, p_by_player_id, true);
    PERFORM factions.fct_require_permission(v_actor, 'invite');
    DELETE FROM factions.faction_invites
     WHERE faction_id = p_faction_id AND player_id = p_player_id AND expires_at > now();
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('factionId', p_faction_id, 'playerId', p_player_id,
                            'reason', 'NO_PENDING_INVITE'));
    END IF;
    IF p_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_key, 'null'::jsonb);
    END IF;
    RETURN 'null'::jsonb;
END;
$$;

-- POST /v1/factions/{id}/join: with a pending invitation, as a recruit. The faction row's lock
-- orders racing joins (LIMIT_REACHED once full); the character's row lock orders one character's
-- joins of two factions (ALREADY_IN_FACTION for the second).
CREATE OR REPLACE FUNCTION factions.join_faction(p_principal jsonb, p_caller text, p_key text, p_hash text,
                                                 p_faction_id uuid, p_player_id uuid)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_faction factions.factions;
    v_current uuid;
    v_result jsonb;
BEGIN
    PERFORM factions.fct_require(p_faction_id IS NOT NULL, 'factionId', 'required');
    PERFORM factions.fct_require(p_player_id IS NOT NULL, 'playerId', 'required');
    IF p_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_key, p_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    PERFORM factions.fct_check_actor(p_principal, p_player_id);
    v_faction := factions.fct_lock_faction(p_faction_id);
    SELECT faction_id INTO v_current FROM accounts.players WHERE id = p_player_id FOR NO KEY UPDATE;
    IF v_current IS NOT NULL THEN
        PERFORM raise_error('ALREADY_IN_FACTION', jsonb_build_object('playerId', p_player_id,
                            'factionId', v_current));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM factions.faction_invites
                    WHERE faction_id = p_faction_id AND player_id = p_player_id AND expires_at > now()) THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('factionId', p_faction_id, 'playerId', p_player_id,
                            'reason', 'NOT_INVITED'));
    END IF;
    IF v_faction.member_count >= v_faction.max_members THEN
        PERFORM raise_error('LIMIT_REACHED', jsonb_build_object('factionId', p_faction_id,
                            'maxMembers', v_faction.max_members, 'reason', 'FACTION_FULL'));
    END IF;
    INSERT INTO factions.faction_members (faction_id, player_id, rank, permissions)
    VALUES (p_faction_id, p_player_id, 'recruit', factions.fct_default_permissions('recruit'));
    UPDATE factions.factions SET member_count = member_count + 1 WHERE id = p_faction_id;
    UPDATE accounts.players SET faction_id = p_faction_id WHERE id = p_player_id;
    DELETE FROM factions.faction_invites WHERE player_id = p_player_id;
    PERFORM factions.fct_event('evt.factions.member.joined.v1', jsonb_build_object(
        'factionId', p_faction_id, 'playerId', p_player_id, 'rank', 'recruit', 'joinedAt', now()));
    v_result := factions.member_json(p_faction_id, p_player_id);
    IF p_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

-- Takes a member out (leave, kick): the row, the count, players.faction_id and the event.
CREATE OR REPLACE FUNCTION factions.fct_remove_member(p_faction_id uuid, p_player_id uuid, p_reason text,
                                                      p_by_player_id uuid)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM factions.faction_members WHERE faction_id = p_faction_id AND player_id = p_player_id;
    UPDATE factions.factions SET member_count = member_count - 1 WHERE id = p_faction_id;
    UPDATE accounts.players SET faction_id = NULL WHERE id = p_player_id AND faction_id = p_faction_id;
    PERFORM factions.fct_event('evt.factions.member.left.v1', jsonb_build_object(
        'factionId', p_faction_id, 'playerId', p_player_id, 'reason', p_reason, 'byPlayerId', p_by_player_id,
        'leftAt', now()));
END;
$$;

-- POST /v1/factions/{id}/leave: the leader hands over or disbands first (CONFLICT LEADER_CANNOT_LEAVE).
CREATE OR REPLACE FUNCTION factions.leave_faction(p_principal jsonb, p_caller text, p_key text, p_hash text,
                                                  p_faction_id uuid, p_player_id uuid)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_member factions.faction_members;
BEGIN
    PERFORM factions.fct_require(p_faction_id IS NOT NULL, 'factionId', 'required');
    PERFORM factions.fct_require(p_player_id IS NOT NULL, 'playerId', 'required');
    IF p_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_key, p_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    PERFORM factions.fct_check_actor(p_principal, p_player_id);
    PERFORM factions.fct_lock_faction(p_faction_id);
    v_member := factions.fct_member(p_faction_id, p_player_id, true);
    IF v_member.rank = 'leader' THEN
        PERFORM raise_error('CONFLICT', jsonb_build_object('factionId', p_faction_id, 'playerId', p_player_id,
                            'reason', 'LEADER_CANNOT_LEAVE'));
    END IF;
    PERFORM factions.fct_remove_member(p_faction_id, p_player_id, 'left', p_player_id);
    IF p_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_key, 'null'::jsonb);
    END IF;
    RETURN 'null'::jsonb;
END;
$$;

-- POST /v1/factions/{id}/kick (needs kick, only a lower rank).
CREATE OR REPLACE FUNCTION factions.kick_member(p_principal jsonb, p_caller text, p_key text, p_hash text,
                                                p_faction_id uuid, p_by_player_id uuid, p_player_id uuid)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_actor factions.faction_members;
    v_target factions.faction_members;
BEGIN
    PERFORM factions.fct_require(p_faction_id IS NOT NULL, 'factionId', 'required');
    PERFORM factions.fct_require(p_by_player_id IS NOT NULL, 'byPlayerId', 'required');
    PERFORM factions.fct_require(p_player_id IS NOT NULL, 'playerId', 'required');
    IF p_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_key, p_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    PERFORM factions.fct_check_actor(p_principal, p_by_player_id);
    PERFORM factions.fct_lock_faction(p_faction_id);
    v_actor := factions.fct_member(p_faction_id, p_by_player_id, true);
    PERFORM factions.fct_require_permission(v_actor, 'kick');
    v_target := factions.fct_member(p_faction_id, p_player_id, false);
    PERFORM factions.fct_require_higher(v_actor, v_target);
    PERFORM factions.fct_remove_member(p_faction_id, p_player_id, 'kicked', p_by_player_id);
    IF p_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_key, 'null'::jsonb);
    END IF;
    RETURN 'null'::jsonb;
END;
$$;

-- PATCH /v1/factions/{id}/members/{playerId} (needs promote): only a member of a lower rank, only
-- to a rank below the editor's; never adding a permission the editor lacks. A new rank without a
-- permission list takes that rank's defaults (the same rule applies to what they add).
CREATE OR REPLACE FUNCTION factions.update_member(p_principal jsonb, p_caller text, p_key text, p_hash text,
                                                  p_faction_id uuid, p_by_player_id uuid, p_player_id uuid,
                                                  p_rank text, p_permissions jsonb)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_actor factions.faction_members;
    v_target factions.faction_members;
    v_rank factions.faction_rank;
    v_permissions jsonb;
    v_added text;
    v_result jsonb;
BEGIN
    PERFORM factions.fct_require(p_faction_id IS NOT NULL, 'factionId', 'required');
    PERFORM factions.fct_require(p_by_player_id IS NOT NULL, 'byPlayerId', 'required');
    PERFORM factions.fct_require(p_player_id IS NOT NULL, 'playerId', 'required');
    PERFORM factions.fct_require(p_rank IS NULL OR p_rank IN ('officer', 'member', 'recruit'), 'rank',
                                 'must be officer, member or recruit (the leader hands over)');
    PERFORM factions.fct_require(p_rank IS NOT NULL OR p_permissions IS NOT NULL, 'rank',
                                 'rank or permissions required');
    IF p_permissions IS NOT NULL THEN
        PERFORM factions.fct_check_permissions(p_permissions, 'permissions');
    END IF;
    IF p_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_key, p_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    PERFORM factions.fct_check_actor(p_principal, p_by_player_id);
    PERFORM factions.fct_lock_faction(p_faction_id);
    v_actor := factions.fct_member(p_faction_id, p_by_player_id, true);
    PERFORM factions.fct_require_permission(v_actor, 'promote');
    v_target := factions.fct_member(p_faction_id, p_player_id, false);
    PERFORM factions.fct_require_higher(v_actor, v_target);
    v_rank := COALESCE(p_rank::factions.faction_rank, v_target.rank);
    IF factions.fct_rank_level(v_rank) >= factions.fct_rank_level(v_actor.rank) THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('playerId', p_player_id, 'reason', 'RANK_NOT_LOWER',
                            'rank', v_rank));
    END IF;
    v_permissions := COALESCE(p_permissions, CASE WHEN p_rank IS NOT NULL
                                                  THEN factions.fct_default_permissions(v_rank)
                                                  ELSE v_target.permissions END);
    SELECT e INTO v_added FROM jsonb_array_elements_text(v_permissions) e
     WHERE NOT (v_target.permissions ? e) AND NOT factions.fct_has(v_actor.rank, v_actor.permissions, e)
     LIMIT 1;
    IF v_added IS NOT NULL THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('playerId', p_player_id, 'reason', 'CANNOT_GRANT',
                            'permission', v_added));
    END IF;
    -- Stored in the documented order.
    SELECT COALESCE(jsonb_agg(p ORDER BY array_position(factions.fct_permissions(), p)), '[]'::jsonb)
      INTO v_permissions FROM jsonb_array_elements_text(v_permissions) p;
    UPDATE factions.faction_members SET rank = v_rank, permissions = v_permissions
     WHERE faction_id = p_faction_id AND player_id = p_player_id;
    IF v_rank <> v_target.rank OR v_permissions <> v_target.permissions THEN
        PERFORM factions.fct_event('evt.factions.member.rank.changed.v1', jsonb_build_object(
            'factionId', p_faction_id, 'playerId', p_player_id, 'fromRank', v_target.rank, 'rank', v_rank,
            'permissions', v_permissions, 'byPlayerId', p_by_player_id, 'changedAt', now()));
    END IF;
    v_result := factions.member_json(p_faction_id, p_player_id);
    IF p_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

-- POST /v1/factions/{id}/leader: the leader hands over to a member, and becomes an officer with
-- the officer's defaults.
CREATE OR REPLACE FUNCTION factions.hand_over(p_principal jsonb, p_caller text, p_key text, p_hash text,
                                              p_faction_id uuid, p_by_player_id uuid, p_player_id uuid)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_actor factions.faction_members;
    v_target factions.faction_members;
    v_result jsonb;
BEGIN
    PERFORM factions.fct_require(p_faction_id IS NOT NULL, 'factionId', 'required');
    PERFORM factions.fct_require(p_by_player_id IS NOT NULL, 'byPlayerId', 'required');
    PERFORM factions.fct_require(p_player_id IS NOT NULL, 'playerId', 'required');
    PERFORM factions.fct_require(p_player_id IS DISTINCT FROM p_by_player_id, 'playerId',
                                 'must be another member');
    IF p_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_key, p_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    PERFORM factions.fct_check_actor(p_principal, p_by_player_id);
    PERFORM factions.fct_lock_faction(p_faction_id);
    v_actor := factions.fct_member(p_faction_id, p_by_player_id, true);
    IF v_actor.rank <> 'leader' THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('playerId', p_by_player_id, 'reason', 'NOT_LEADER'));
    END IF;
    v_target := factions.fct_member(p_faction_id, p_player_id, false);
    UPDATE factions.faction_members SET rank = 'officer', permissions = factions.fct_default_permissions('officer')
     WHERE faction_id = p_faction_id AND player_id = p_by_player_id;
    UPDATE factions.faction_members SET rank = 'leader', permissions = factions.fct_default_permissions('leader')
     WHERE faction_id = p_faction_id AND player_id = p_player_id;
    UPDATE factions.factions SET leader_id = p_player_id WHERE id = p_faction_id;
    PERFORM factions.fct_event('evt.factions.member.rank.changed.v1', jsonb_build_object(
        'factionId', p_faction_id, 'playerId', p_player_id, 'fromRank', v_target.rank, 'rank', 'leader',
        'permissions', factions.fct_default_permissions('leader'), 'byPlayerId', p_by_player_id,
        'changedAt', now()));
    PERFORM factions.fct_event('evt.factions.member.rank.changed.v1', jsonb_build_object(
        'factionId', p_faction_id, 'playerId', p_by_player_id, 'fromRank', 'leader', 'rank', 'officer',
        'permissions', factions.fct_default_permissions('officer'), 'byPlayerId', p_by_player_id,
        'changedAt', now()));
    v_result := factions.faction_json(p_faction_id, true);
    IF p_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

-- DELETE /v1/factions/{id} (the leader): the treasury is paid out to the leader's wallet (market's
-- faction_bank_move, the faction ledger's disband_payout row), every member leaves, invitations
-- end, and the row is marked disbanded.
CREATE OR REPLACE FUNCTION factions.disband_faction(p_principal jsonb, p_caller text, p_key text, p_hash text,
                                                    p_faction_id uuid, p_by_player_id uuid)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim record;
    v_faction factions.factions;
    v_actor factions.faction_members;
    v_members uuid[];
BEGIN
    PERFORM factions.fct_require(p_faction_id IS NOT NULL, 'factionId', 'required');
    PERFORM factions.fct_require(p_by_player_id IS NOT NULL, 'byPlayerId', 'required');
    IF p_key IS NOT NULL THEN
        v_claim := idempotency_claim(p_caller, p_key, p_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    PERFORM factions.fct_check_actor(p_principal, p_by_player_id);
    v_faction := factions.fct_lock_faction(p_faction_id);
    v_actor := factions.fct_member(p_faction_id, p_by_player_id, true);
    IF v_actor.rank <> 'leader' THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('playerId', p_by_player_id, 'reason', 'NOT_LEADER'));
    END IF;
    IF v_faction.treasury > 0 THEN
        PERFORM market.faction_bank_move(p_by_player_id, p_faction_id, 'payout', v_faction.treasury,
                                         'faction:' || p_faction_id || ':disband');
        INSERT INTO factions.faction_ledger (faction_id, player_id, delta, balance_after, reason, reference)
        VALUES (p_faction_id, p_by_player_id, -v_faction.treasury, 0, 'disband_payout', 'disband');
    END IF;
    SELECT COALESCE(array_agg(player_id ORDER BY player_id), '{}') INTO v_members
      FROM factions.faction_members WHERE faction_id = p_faction_id;
    UPDATE accounts.players SET faction_id = NULL WHERE id = ANY (v_members) AND faction_id = p_faction_id;
    DELETE FROM factions.faction_members WHERE faction_id = p_faction_id;
    DELETE FROM factions.faction_invites WHERE faction_id = p_faction_id;
    UPDATE factions.factions SET treasury = 0, member_count = 0, disbanded_at = now() WHERE id = p_faction_id;
    PERFORM factions.fct_event('evt.factions.faction.disbanded.v1', jsonb_build_object(
        'factionId', p_faction_id, 'leaderId', p_by_player_id, 'memberIds', to_jsonb(v_members),
        'payout', COALESCE(v_faction.treasury, 0), 'disbandedAt', now()));
    IF p_key IS NOT NULL THEN
        PERFORM idempotency_store(p_caller, p_key, 'null'::jsonb);
    END IF;
    RETURN 'null'::jsonb;
END;
$$;
