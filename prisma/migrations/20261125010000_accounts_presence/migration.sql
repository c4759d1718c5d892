-- Accounts, presence and two-factor authentication (issue 3).

-- The game server a character is joined to, so that one character is live on one server at a time
-- and a server acts only on its own players. NULL while offline.
ALTER TABLE players ADD COLUMN server_id UUID REFERENCES game_servers(id);
-- Anti combat-log (SPEC section 4): a player who leaves within 30 s of combat stays in the world,
-- killable, until this time.
ALTER TABLE players ADD COLUMN linger_until TIMESTAMPTZ;
CREATE INDEX idx_players_server ON players(server_id) WHERE server_id IS NOT NULL;

-- "Alice" and "alice" are one name to players: names are unique whatever their case. The seed's
-- case-sensitive UNIQUE constraints stay; these indexes add the stricter rule.
CREATE UNIQUE INDEX idx_accounts_username_lower ON accounts (lower(username));
CREATE UNIQUE INDEX idx_accounts_email_lower ON accounts (lower(email));
CREATE UNIQUE INDEX idx_players_character_name_lower ON players (lower(character_name));

-- RFC 6238 secrets. A row without enabled_at is a pending enrolment; last_used_step makes each
-- code usable once.
CREATE TABLE account_totp (
    account_id     UUID PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    secret         VARCHAR(64) NOT NULL,
    enabled_at     TIMESTAMPTZ,
    last_used_step BIGINT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
