-- factions: the reads (issue 14). A game server and an admin read every faction; a player reads
-- the factions of its own account's characters (FORBIDDEN NOT_YOUR_FACTION otherwise); the list
-- is public to every signed-in caller (names, tags and counts, no members).

-- FORBIDDEN unless the principal may read the faction's members and ledger.
CREATE OR REPLACE FUNCTION factions.fct_check_reader(p_principal jsonb, p_faction_id uuid) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM factions.factions WHERE id = p_faction_id AND disbanded_at IS NULL) THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('factionId', p_faction_id));
    END IF;
    IF p_principal->>'kind' IN ('server', 'admin') THEN
        RETURN;
    END IF;
    IF p_principal->>'kind' = 'player' AND EXISTS (
        SELECT 1 FROM factions.faction_members m JOIN accounts.players p ON p.id = m.player_id
         WHERE m.faction_id = p_faction_id AND p.account_id = (p_principal->>'accountId')::uuid) THEN
        RETURN;
    END IF;
    PERFORM raise_error('FORBIDDEN', jsonb_build_object('factionId', p_faction_id, 'reason', 'NOT_YOUR_FACTION'));
END;
$$;

-- GET /v1/factions/{id}: the faction with its members.
CREATE OR REPLACE FUNCTION factions.get_faction(p_principal jsonb, p_faction_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM factions.fct_check_reader(p_principal, p_faction_id);
    RETURN factions.faction_json(p_faction_id, true);
END;
$$;

-- GET /v1/factions?search=&limit=&cursor=: the live factions whose name or tag contains p_search
-- (case-insensitive), by name then id, after (p_after_name, p_after_id).
CREATE OR REPLACE FUNCTION factions.list_factions(p_search text, p_limit integer, p_after_name text,
                                                  p_after_id uuid)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(jsonb_agg(factions.faction_json(f.id, false) ORDER BY f.name, f.id), '[]'::jsonb)
      FROM (SELECT id, name FROM factions.factions
             WHERE disbanded_at IS NULL
               AND (p_search IS NULL
                    OR strpos(lower(name), lower(p_search)) > 0 OR strpos(lower(tag), lower(p_search)) > 0)
               AND (p_after_name IS NULL OR (name, id) > (p_after_name, p_after_id))
             ORDER BY name, id LIMIT p_limit) f;
$$;

-- GET /v1/factions/{id}/treasury/ledger: newest first, keyset on the ledger id (p_before_id).
CREATE OR REPLACE FUNCTION factions.list_ledger(p_principal jsonb, p_faction_id uuid, p_limit integer,
                                                p_before_id bigint)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM factions.fct_check_reader(p_principal, p_faction_id);
    RETURN COALESCE((SELECT jsonb_agg(jsonb_build_object('id', l.id::text, 'playerId', l.player_id,
                                                         'delta', l.delta, 'balanceAfter', l.balance_after,
                                                         'reason', l.reason, 'createdAt', l.created_at)
                                      ORDER BY l.id DESC)
                       FROM (SELECT * FROM factions.faction_ledger
                              WHERE faction_id = p_faction_id AND (p_before_id IS NULL OR id < p_before_id)
                              ORDER BY id DESC LIMIT p_limit) l), '[]'::jsonb);
END;
$$;
