-- combat: hits (issue 12), the seed's "Procesamiento de Combate" (apply_damage) for a whole batch
-- in one function call: the idempotency record, the locks, the checks, every hit in order, the
-- combat log, both players' stats, and on a killing blow the corpse (inventory's create_corpse,
-- every item with its ledger row), the death mark and evt.combat.player.killed.v1, all in the
-- caller's one transaction.

CREATE SCHEMA IF NOT EXISTS combat;

-- VALIDATION_FAILED naming the field unless p_ok.
CREATE OR REPLACE FUNCTION cbt_require(p_ok boolean, p_field text, p_problem text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_ok IS NOT TRUE THEN
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', p_field, 'problem', p_problem));
    END IF;
END;
$$;

-- The calling game server; anything else is FORBIDDEN even if the kit were bypassed.
CREATE OR REPLACE FUNCTION cbt_server_of(p_principal jsonb) RETURNS uuid
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_principal->>'kind' IS DISTINCT FROM 'server' OR p_principal->>'serverId' IS NULL THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('reason', 'SERVERS_ONLY'));
    END IF;
    RETURN (p_principal->>'serverId')::uuid;
END;
$$;

CREATE OR REPLACE FUNCTION cbt_is_uuid(p_text text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_text ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
$$;

CREATE OR REPLACE FUNCTION cbt_is_position(p_value jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_value IS NULL OR p_value = 'null'::jsonb THEN true
                WHEN jsonb_typeof(p_value) = 'object' AND jsonb_typeof(p_value -> 'x') = 'number'
                     AND jsonb_typeof(p_value -> 'y') = 'number' AND jsonb_typeof(p_value -> 'z') = 'number'
                THEN abs((p_value ->> 'x')::float8) <= 128000000 AND abs((p_value ->> 'z')::float8) <= 128000000
                     AND abs((p_value ->> 'y')::float8) <= 100000
                ELSE false END;
$$;

-- Every field of every hit, in order (the contract's rules again: game servers may call NATS
-- directly, and a bad value must be a 400 naming it, never a cast error).
CREATE OR REPLACE FUNCTION cbt_check_hits(p_hits jsonb, p_max_damage float8) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_hit jsonb;
    v_n int;
    v_f text;
    v_key text;
BEGIN
    PERFORM cbt_require(jsonb_typeof(p_hits) = 'array', 'hits', 'must be an array');
    PERFORM cbt_require(jsonb_array_length(p_hits) BETWEEN 1 AND 500, 'hits', 'between 1 and 500 hits');
    FOR v_hit, v_n IN SELECT e, n - 1 FROM jsonb_array_elements(p_hits) WITH ORDINALITY AS x(e, n) LOOP
        v_f := 'hits.' || v_n || '.';
        PERFORM cbt_require(jsonb_typeof(v_hit) = 'object', 'hits.' || v_n, 'must be an object');
        SELECT k INTO v_key FROM jsonb_object_keys(v_hit) AS k
         WHERE k NOT IN ('hitId', 'attackerId', 'victimId', 'weaponId', 'ammoType', 'damage', 'hitLocation',
                         'distance', 'headshot', 'positionAttacker', 'positionVictim')
         LIMIT 1;
        PERFORM cbt_require(v_key IS NULL, v_f || v_key, 'unknown field');
        PERFORM cbt_require(cbt_is_uuid(v_hit ->> 'hitId') AND jsonb_typeof(v_hit -> 'hitId') = 'string',
                            v_f || 'hitId', 'must be a UUID');
        PERFORM cbt_require(cbt_is_uuid(v_hit ->> 'victimId') AND jsonb_typeof(v_hit -> 'victimId') = 'string',
                            v_f || 'victimId', 'must be a UUID');
        PERFORM cbt_require(v_hit -> 'attackerId' IS NULL OR (jsonb_typeof(v_hit -> 'attackerId') = 'string'
                            AND cbt_is_uuid(v_hit ->> 'attackerId')), v_f || 'attackerId', 'must be a UUID');
        PERFORM cbt_require(v_hit -> 'weaponId' IS NULL OR (jsonb_typeof(v_hit -> 'weaponId') = 'string'
                            AND v_hit ->> 'weaponId' ~ '^[a-z0-9_]{1,64}$'), v_f || 'weaponId',
                            'must be an item template id');
        PERFORM cbt_require(v_hit -> 'ammoType' IS NULL OR (jsonb_typeof(v_hit -> 'ammoType') = 'string'
                            AND v_hit ->> 'ammoType' ~ '^[a-z0-9_]{1,64}$'), v_f || 'ammoType',
                            'must be an item template id');
        PERFORM cbt_require(CASE WHEN jsonb_typeof(v_hit -> 'damage') = 'number'
                                 THEN (v_hit ->> 'damage')::float8 > 0 AND (v_hit ->> 'damage')::float8 <= p_max_damage
                                 ELSE false END, v_f || 'damage',
                            'must be positive and at most ' || p_max_damage);
        PERFORM cbt_require(jsonb_typeof(v_hit -> 'hitLocation') = 'string'
                            AND v_hit ->> 'hitLocation' = ANY (enum_range(NULL::combat.body_part)::text[]),
                            v_f || 'hitLocation', 'must be a body part');
        PERFORM cbt_require(CASE WHEN v_hit -> 'distance' IS NULL THEN true
                                 WHEN jsonb_typeof(v_hit -> 'distance') = 'number'
                                 THEN (v_hit ->> 'distance')::float8 BETWEEN 0 AND 100000
                                 ELSE false END, v_f || 'distance',
                            'must be 0 to 100000');
        PERFORM cbt_require(v_hit -> 'headshot' IS NULL OR jsonb_typeof(v_hit -> 'headshot') = 'boolean',
                            v_f || 'headshot', 'must be a boolean');
        PERFORM cbt_require(cbt_is_position(v_hit -> 'positionAttacker'), v_f || 'positionAttacker',
                            'must be {x, y, z} within the world');
        PERFORM cbt_require(cbt_is_position(v_hit -> 'positionVictim'), v_f || 'positionVictim',
                            'must be {x, y, z} within the world');
    END LOOP;
END;
$$;

-- One hit on a health document: the body part loses p_damage, never below 0. Head and thorax are
-- vital: either at 0 kills. Damage beyond what a limb or the stomach has left goes on to the
-- thorax, so a character shot often enough anywhere dies. Returns {health, lethal}.
CREATE OR REPLACE FUNCTION cbt_damage_health(p_health jsonb, p_part text, p_damage float8) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_left float8 := COALESCE((p_health ->> p_part)::float8, 100);
    v_thorax float8;
    v_health jsonb := jsonb_set(p_health, ARRAY[p_part], to_jsonb(greatest(0, v_left - p_damage)));
BEGIN
    IF p_part NOT IN ('head', 'thorax') AND p_damage > v_left THEN
        v_thorax := COALESCE((v_health ->> 'thorax')::float8, 100);
        v_health := jsonb_set(v_health, '{thorax}', to_jsonb(greatest(0, v_thorax - (p_damage - v_left))));
    END IF;
    RETURN jsonb_build_object('health', v_health,
        'lethal', COALESCE((v_health ->> 'head')::float8, 100) <= 0
                  OR COALESCE((v_health ->> 'thorax')::float8, 100) <= 0);
END;
$$;

-- POST /v1/combat/hits (combat.hits.apply.v1). p_hits: the request's hits, applied in order.
-- Returns {results: [{hitId, victimId, applied, reason?, health, killed, corpseInventoryId?}]}.
-- A hit id seen before is not applied (DUPLICATE), nor a hit on a dead victim (ALREADY_DEAD),
-- nor a hit the weapon cannot deal (IMPLAUSIBLE_HIT, written to the outbox as a suspect).
-- Attackers and victims must be characters joined to the calling server (NOT_FOUND, FORBIDDEN:
-- the whole batch is refused and nothing changes). Every player involved is locked in id order
-- first, so concurrent batches queue instead of deadlocking.
CREATE OR REPLACE FUNCTION combat.apply_hits(p_principal jsonb, p_idempotency_key varchar, p_request_hash varchar,
                                             p_hits jsonb, p_max_damage float8, p_corpse_ttl_seconds integer)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_server uuid := cbt_server_of(p_principal);
    v_caller text := 'server:' || v_server;
    v_claim record;
    v_bad record;
    v_hit record;
    v_state jsonb := '{}';
    v_victim jsonb;
    v_weapon jsonb;
    v_limit float8;
    v_damage jsonb;
    v_corpse uuid;
    v_position jsonb;
    v_reason text;
    v_inserted int;
    v_results jsonb[] := '{}';
    v_att uuid[] := '{}';
    v_vic uuid[] := '{}';
    v_dmg float8[] := '{}';
    v_kill boolean[] := '{}';
    v_result jsonb;
BEGIN
    PERFORM cbt_require(p_max_damage IS NOT NULL AND p_max_damage > 0, 'maxDamage', 'must be positive');
    PERFORM cbt_require(p_corpse_ttl_seconds IS NOT NULL AND p_corpse_ttl_seconds > 0, 'corpseTtlSeconds',
                        'must be positive');
    PERFORM cbt_check_hits(p_hits, p_max_damage);
    IF p_idempotency_key IS NOT NULL THEN
        v_claim := idempotency_claim(v_caller, p_idempotency_key, p_request_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;

    -- Every character of the batch, locked in id order; their state kept here while the batch runs.
    SELECT COALESCE(jsonb_object_agg(id, jsonb_build_object('serverId', server_id, 'health', health,
                        'dead', died_at IS NOT NULL, 'position', position, 'changed', false)), '{}')
      INTO v_state
      FROM (SELECT p.id, p.server_id, p.health, p.died_at, p.position FROM accounts.players p
             WHERE p.id IN (SELECT (e ->> 'victimId')::uuid FROM jsonb_array_elements(p_hits) e
                            UNION SELECT (e ->> 'attackerId')::uuid FROM jsonb_array_elements(p_hits) e)
             ORDER BY p.id FOR NO KEY UPDATE) locked;
    SELECT x.n - 1 AS n, x.field, x.id INTO v_bad
      FROM jsonb_array_elements(p_hits) WITH ORDINALITY AS e(h, n),
           LATERAL (VALUES (e.n, 'attackerId', lower(e.h ->> 'attackerId')), (e.n, 'victimId', lower(e.h ->> 'victimId'))) AS x(n, field, id)
     WHERE x.id IS NOT NULL AND NOT v_state ? x.id
     ORDER BY x.n, x.field LIMIT 1;
    IF FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('field', 'hits.' || v_bad.n || '.' || v_bad.field,
                            'playerId', v_bad.id));
    END IF;
    SELECT x.n - 1 AS n, x.field, x.id INTO v_bad
      FROM jsonb_array_elements(p_hits) WITH ORDINALITY AS e(h, n),
           LATERAL (VALUES (e.n, 'attackerId', lower(e.h ->> 'attackerId')), (e.n, 'victimId', lower(e.h ->> 'victimId'))) AS x(n, field, id)
     WHERE x.id IS NOT NULL AND v_state -> x.id ->> 'serverId' IS DISTINCT FROM v_server::text
     ORDER BY x.n, x.field LIMIT 1;
    IF FOUND THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('field', 'hits.' || v_bad.n || '.' || v_bad.field,
                            'playerId', v_bad.id, 'reason', 'NOT_JOINED_TO_THIS_SERVER'));
    END IF;

    FOR v_hit IN
        SELECT e.n - 1 AS n, h.*
          FROM jsonb_array_elements(p_hits) WITH ORDINALITY AS e(j, n),
               jsonb_to_record(e.j) AS h("hitId" uuid, "attackerId" uuid, "victimId" uuid, "weaponId" text,
                                         "ammoType" text, damage float8, "hitLocation" text, distance float8,
                                         headshot boolean, "positionAttacker" jsonb, "positionVictim" jsonb)
         ORDER BY e.n
    LOOP
        v_victim := v_state -> v_hit."victimId"::text;
        v_reason := NULL;
        v_corpse := NULL;
        IF (v_victim ->> 'dead')::boolean THEN
            v_reason := 'ALREADY_DEAD';
        ELSIF v_hit."weaponId" IS NOT NULL THEN
            SELECT t.data INTO v_weapon FROM inventory.item_templates t
             WHERE t.id = v_hit."weaponId" AND t.category = 'weapon';
            IF NOT FOUND THEN
                PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'hits.' || v_hit.n || '.weaponId',
                                    'problem', 'must be a weapon of the item catalog'));
            END IF;
            v_limit := (v_weapon ->> 'damage')::float8
                       * CASE WHEN COALESCE(v_hit.headshot, false) OR v_hit."hitLocation" = 'head'
                              THEN COALESCE((v_weapon ->> 'headshotMultiplier')::float8, 1) ELSE 1 END;
            IF v_hit.damage > v_limit * 1.000001
               OR v_hit.distance > COALESCE((v_weapon ->> 'range')::float8, 'Infinity'::float8) THEN
                v_reason := 'IMPLAUSIBLE_HIT';
            END IF;
        END IF;
        INSERT INTO seen_hits (hit_id, server_id, applied) VALUES (v_hit."hitId", v_server, v_reason IS NULL)
        ON CONFLICT (hit_id) DO NOTHING;
        GET DIAGNOSTICS v_inserted = ROW_COUNT;
        IF v_inserted = 0 THEN
            v_reason := 'DUPLICATE';
        ELSIF v_reason = 'IMPLAUSIBLE_HIT' THEN
            INSERT INTO outbox (id, subject, payload, headers, created_at)
            VALUES (gen_random_uuid(), 'evt.combat.hit.suspect.v1', jsonb_build_object(
                'serverId', v_server, 'hitId', v_hit."hitId", 'attackerId', v_hit."attackerId",
                'victimId', v_hit."victimId", 'weaponId', v_hit."weaponId", 'damage', v_hit.damage,
                'distance', v_hit.distance, 'hitLocation', v_hit."hitLocation",
                'headshot', COALESCE(v_hit.headshot, false), 'weaponDamage', v_weapon -> 'damage',
                'weaponRange', v_weapon -> 'range', 'at', now()), '{}', clock_timestamp());
        END IF;
        IF v_reason IS NOT NULL THEN
            v_results := v_results || jsonb_build_object('hitId', v_hit."hitId", 'victimId', v_hit."victimId",
                'applied', false, 'reason', v_reason, 'health', v_victim -> 'health', 'killed', false);
            CONTINUE;
        END IF;

        v_damage := cbt_damage_health(v_victim -> 'health', v_hit."hitLocation", v_hit.damage);
        v_victim := v_victim || jsonb_build_object('health', v_damage -> 'health', 'changed', true,
                                                   'dead', (v_damage ->> 'lethal')::boolean);
        IF (v_damage ->> 'lethal')::boolean THEN
            v_position := COALESCE(NULLIF(v_hit."positionVictim", 'null'::jsonb), v_victim -> 'position');
            v_corpse := inventory.create_corpse(v_hit."victimId", v_position, 'hit:' || v_hit."hitId",
                                                now() + make_interval(secs => p_corpse_ttl_seconds));
            v_victim := v_victim || jsonb_build_object('diedAt', now());
            INSERT INTO outbox (id, subject, payload, headers, created_at)
            VALUES (gen_random_uuid(), 'evt.combat.player.killed.v1', jsonb_build_object(
                'playerId', v_hit."victimId", 'killerId', v_hit."attackerId", 'serverId', v_server,
                'hitId', v_hit."hitId", 'weaponId', v_hit."weaponId", 'hitLocation', v_hit."hitLocation",
                'corpseInventoryId', v_corpse, 'position', v_position, 'killedAt', now()), '{}', clock_timestamp());
        END IF;
        v_state := jsonb_set(v_state, ARRAY[v_hit."victimId"::text], v_victim);
        INSERT INTO combat_logs (id, attacker_id, victim_id, weapon_id, ammo_type, damage, hit_location, distance,
                                 headshot, killing_blow, position_attacker, position_victim, created_at)
        VALUES (v_hit."hitId", v_hit."attackerId", v_hit."victimId", v_hit."weaponId", v_hit."ammoType",
                v_hit.damage, v_hit."hitLocation"::combat.body_part, v_hit.distance,
                COALESCE(v_hit.headshot, false), (v_damage ->> 'lethal')::boolean,
                NULLIF(v_hit."positionAttacker", 'null'::jsonb), NULLIF(v_hit."positionVictim", 'null'::jsonb), now());
        v_att := v_att || v_hit."attackerId";
        v_vic := v_vic || v_hit."victimId";
        v_dmg := v_dmg || v_hit.damage;
        v_kill := v_kill || (v_damage ->> 'lethal')::boolean;
        v_result := jsonb_build_object('hitId', v_hit."hitId", 'victimId', v_hit."victimId", 'applied', true,
            'health', v_damage -> 'health', 'killed', (v_damage ->> 'lethal')::boolean);
        IF v_corpse IS NOT NULL THEN
            v_result := v_result || jsonb_build_object('corpseInventoryId', v_corpse);
        END IF;
        v_results := v_results || v_result;
    END LOOP;

    -- Each changed victim's health and death mark, once.
    UPDATE accounts.players p
       SET health = s.value -> 'health',
           died_at = CASE WHEN s.value ? 'diedAt' THEN (s.value ->> 'diedAt')::timestamptz ELSE p.died_at END
      FROM jsonb_each(v_state) AS s
     WHERE p.id = s.key::uuid AND (s.value ->> 'changed')::boolean;
    -- Both sides' stats, one row update per player.
    IF cardinality(v_vic) > 0 THEN
        PERFORM pg_notify('outbox_enqueued', '') WHERE true IN (SELECT unnest(v_kill));
        UPDATE accounts.player_stats s
           SET shots_hit = COALESCE(s.shots_hit, 0) + a.shots,
               damage_dealt = COALESCE(s.damage_dealt, 0) + a.dealt,
               damage_received = COALESCE(s.damage_received, 0) + a.received,
               kills_players = COALESCE(s.kills_players, 0) + a.kills,
               deaths = COALESCE(s.deaths, 0) + a.deaths
          FROM (SELECT pid, sum(shots)::int AS shots, sum(dealt) AS dealt, sum(received) AS received,
                       sum(kills)::int AS kills, sum(deaths)::int AS deaths
                  FROM (SELECT u.att AS pid, 1 AS shots, u.dmg AS dealt, 0::float8 AS received,
                               (u.killed AND u.att <> u.vic)::int AS kills, 0 AS deaths
                          FROM unnest(v_att, v_vic, v_dmg, v_kill) AS u(att, vic, dmg, killed)
                         WHERE u.att IS NOT NULL
                        UNION ALL
                        SELECT u.vic, 0, 0::float8, u.dmg, 0, u.killed::int
                          FROM unnest(v_att, v_vic, v_dmg, v_kill) AS u(att, vic, dmg, killed)) x
                 GROUP BY pid) a
         WHERE s.player_id = a.pid;
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(v_results) r WHERE r ->> 'reason' = 'IMPLAUSIBLE_HIT') THEN
        PERFORM pg_notify('outbox_enqueued', '');
    END IF;

    v_result := jsonb_build_object('results', to_jsonb(v_results));
    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_store(v_caller, p_idempotency_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

-- POST /v1/players/{id}/respawn (combat.player.respawn.v1): a dead character of this server comes
-- back with every body part whole at p_position (the service picks a spawn point on dry land).
-- Alive is CONFLICT (NOT_DEAD). Returns {playerId, position, chunkX, chunkZ, health, respawnedAt}.
CREATE OR REPLACE FUNCTION combat.respawn(p_principal jsonb, p_idempotency_key varchar, p_request_hash varchar,
                                          p_player_id uuid, p_position jsonb)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_server uuid := cbt_server_of(p_principal);
    v_caller text := 'server:' || v_server;
    v_claim record;
    v_player record;
    v_health jsonb;
    v_result jsonb;
BEGIN
    PERFORM cbt_require(p_player_id IS NOT NULL, 'playerId', 'required');
    PERFORM cbt_require(p_position IS NOT NULL AND p_position <> 'null'::jsonb AND cbt_is_position(p_position),
                        'position', 'must be {x, y, z} within the world');
    IF p_idempotency_key IS NOT NULL THEN
        v_claim := idempotency_claim(v_caller, p_idempotency_key, p_request_hash);
        IF v_claim.replayed THEN
            RETURN v_claim.response;
        END IF;
    END IF;
    SELECT p.id, p.server_id, p.died_at INTO v_player FROM accounts.players p WHERE p.id = p_player_id
       FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('playerId', p_player_id));
    END IF;
    IF v_player.server_id IS DISTINCT FROM v_server THEN
        PERFORM raise_error('FORBIDDEN', jsonb_build_object('playerId', p_player_id,
                            'reason', 'NOT_JOINED_TO_THIS_SERVER'));
    END IF;
    IF v_player.died_at IS NULL THEN
        PERFORM raise_error('CONFLICT', jsonb_build_object('playerId', p_player_id, 'reason', 'NOT_DEAD'));
    END IF;
    SELECT jsonb_object_agg(part, 100) INTO v_health FROM unnest(enum_range(NULL::combat.body_part)) AS part;
    UPDATE accounts.players
       SET health = v_health, died_at = NULL, position = p_position,
           chunk_x = floor((p_position ->> 'x')::float8 / 128)::int,
           chunk_z = floor((p_position ->> 'z')::float8 / 128)::int
     WHERE id = p_player_id;
    v_result := jsonb_build_object('playerId', p_player_id, 'position', p_position,
        'chunkX', floor((p_position ->> 'x')::float8 / 128)::int,
        'chunkZ', floor((p_position ->> 'z')::float8 / 128)::int,
        'health', v_health, 'respawnedAt', to_jsonb(now()));
    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_store(v_caller, p_idempotency_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;
