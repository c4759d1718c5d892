-- seasons: the leaderboards' scores, computed from their owners' tables (read-only grants of the
-- 20261203170000_seasons migration). PostgreSQL is the truth; Redis serves the reads. The formulas
-- are documented in docs/leaderboards.md; an entry is listed only with a score above zero.

-- Every entry of one board: the entity (a character, or a faction for faction:power), its name and
-- its score. p_from/p_to bound the kill boards' period (UTC day or ISO week); the other boards
-- ignore them. One call per board rebuild.
CREATE OR REPLACE FUNCTION seasons.board_scores(p_board text, p_from timestamptz, p_to timestamptz)
RETURNS TABLE (entity_id uuid, name text, score bigint)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_board IN ('kills:daily', 'kills:weekly') THEN
        -- Players killed: killing blows with an attacker who is not the victim.
        RETURN QUERY
            SELECT k.attacker_id, p.character_name::text, k.kills
              FROM (SELECT l.attacker_id, count(*)::bigint AS kills
                      FROM combat.combat_logs l
                     WHERE l.killing_blow
                       AND l.attacker_id IS NOT NULL
                       AND l.attacker_id IS DISTINCT FROM l.victim_id
                       AND l.created_at >= p_from AND l.created_at < p_to
                     GROUP BY l.attacker_id) k
              JOIN accounts.players p ON p.id = k.attacker_id;
    ELSIF p_board = 'wealth' THEN
        -- scrap ×1, hqm ×25, credits ×10.
        RETURN QUERY
            SELECT w.player_id, p.character_name::text, w.total
              FROM (SELECT player_id,
                           sum(balance * CASE currency WHEN 'scrap' THEN 1 WHEN 'hqm' THEN 25 ELSE 10 END)::bigint
                               AS total
                      FROM market.wallets
                     GROUP BY player_id) w
              JOIN accounts.players p ON p.id = w.player_id
             WHERE w.total > 0;
    ELSIF p_board = 'playtime' THEN
        RETURN QUERY
            SELECT p.id, p.character_name::text, p.playtime_seconds
              FROM accounts.players p
             WHERE p.playtime_seconds > 0;
    ELSIF p_board = 'faction:power' THEN
        -- 10 per member, 100 per territory owned, 1 per 100 of treasury, 50 per raid won.
        RETURN QUERY
            SELECT f.id, f.name::text,
                   (10 * (SELECT count(*) FROM factions.faction_members m WHERE m.faction_id = f.id)
                    + 100 * (SELECT count(*) FROM world.territories t WHERE t.owner_faction_id = f.id)
                    + greatest(coalesce(f.treasury, 0), 0) / 100
                    + 50 * (SELECT count(*) FROM combat.raid_logs r
                             WHERE r.raider_faction_id = f.id AND r.successful IS TRUE))::bigint AS power
              FROM factions.factions f
             WHERE (10 * (SELECT count(*) FROM factions.faction_members m WHERE m.faction_id = f.id)
                    + 100 * (SELECT count(*) FROM world.territories t WHERE t.owner_faction_id = f.id)
                    + greatest(coalesce(f.treasury, 0), 0) / 100
                    + 50 * (SELECT count(*) FROM combat.raid_logs r
                             WHERE r.raider_faction_id = f.id AND r.successful IS TRUE)) > 0;
    ELSE
        PERFORM raise_error('VALIDATION_FAILED', jsonb_build_object('field', 'board'));
    END IF;
END;
$$;

-- One killer's players killed in the UTC day and the ISO week of a kill, and the killer's name:
-- what the kill-event consumer writes into the kill boards (absolute counts, so a redelivered
-- event writes the same numbers again).
CREATE OR REPLACE FUNCTION seasons.killer_counts(p_killer uuid, p_day_from timestamptz, p_week_from timestamptz)
RETURNS TABLE (name text, day_kills bigint, week_kills bigint)
LANGUAGE sql STABLE AS $$
    SELECT p.character_name::text,
           count(*) FILTER (WHERE l.created_at >= p_day_from AND l.created_at < p_day_from + interval '1 day'),
           count(*) FILTER (WHERE l.created_at >= p_week_from AND l.created_at < p_week_from + interval '7 days')
      FROM accounts.players p
      LEFT JOIN combat.combat_logs l
        ON l.attacker_id = p.id
       AND l.killing_blow
       AND l.victim_id IS DISTINCT FROM p.id
       AND l.created_at >= least(p_day_from, p_week_from)
       AND l.created_at < greatest(p_day_from + interval '1 day', p_week_from + interval '7 days')
     WHERE p.id = p_killer
     GROUP BY p.character_name;
$$;
