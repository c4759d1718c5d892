-- territory_json and world_event_json turn timestamptz columns into JSON text, which depends on
-- the session's TimeZone: they are STABLE, not IMMUTABLE (an IMMUTABLE label would let the planner
-- fold or index results that can change between sessions).
ALTER FUNCTION territory_json(territories) STABLE;
ALTER FUNCTION world_event_json(world_events) STABLE;
