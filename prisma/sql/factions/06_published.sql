-- factions: functions published to other owners (docs/architecture.md "Data ownership"). Each is
-- SECURITY DEFINER with a pinned search_path, owned by tn1_factions, and granted by name.

-- Shared bases (rule 5): whether p_player_id is a member of p_faction_id holding p_permission
-- (the leader holds all). World's build rule calls it inside its own statement, so a kicked member
-- loses the right in the same instant the kick commits.
CREATE OR REPLACE FUNCTION factions.member_has(p_faction_id uuid, p_player_id uuid, p_permission text)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = factions, platform, public, pg_temp AS $$
    SELECT COALESCE((SELECT factions.fct_has(m.rank, m.permissions, p_permission)
                       FROM factions.faction_members m
                      WHERE m.faction_id = p_faction_id AND m.player_id = p_player_id), false);
$$;

ALTER FUNCTION factions.member_has(uuid, uuid, text) OWNER TO tn1_factions;
GRANT EXECUTE ON FUNCTION factions.member_has(uuid, uuid, text) TO tn1_world;
