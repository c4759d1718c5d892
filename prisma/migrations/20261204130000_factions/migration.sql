-- Factions (issue 14): membership with ranks and permissions, the treasury and its ledger,
-- invitations, and the rights the factions service needs on the rows it owns in accounts
-- (players.faction_id). The functions are in prisma/sql/factions/.

-- A disbanded faction keeps its row (structures, vehicles, territories and raid logs still name
-- it): disbanded_at marks it, its members, invites and treasury are gone. Its name and tag stay
-- taken (the seed's UNIQUE constraints).
ALTER TABLE factions.factions ADD COLUMN disbanded_at timestamptz;
-- The raid alert webhook: disabled after it keeps failing, and why (rule 6).
ALTER TABLE factions.factions ADD COLUMN webhook_disabled_at timestamptz;
ALTER TABLE factions.factions ADD COLUMN webhook_disabled_reason text;

ALTER TABLE factions.factions
    ADD CONSTRAINT factions_treasury_check CHECK (treasury >= 0),
    ADD CONSTRAINT factions_member_count_check CHECK (member_count >= 0 AND member_count <= max_members
                                                      OR disbanded_at IS NOT NULL),
    ADD CONSTRAINT factions_max_members_check CHECK (max_members BETWEEN 1 AND 500);

-- Rule 1: a character is in at most one faction, enforced by the database as well as by the
-- functions (which answer ALREADY_IN_FACTION first).
CREATE UNIQUE INDEX idx_faction_members_player ON factions.faction_members (player_id);
ALTER TABLE factions.faction_members
    ADD CONSTRAINT faction_members_permissions_check CHECK (jsonb_typeof(permissions) = 'array'),
    ADD CONSTRAINT faction_members_contribution_check CHECK (contribution_points >= 0);

-- Invitations: one pending per (faction, player); joining consumes it, expiry ends it.
CREATE TABLE factions.faction_invites (
    faction_id  uuid NOT NULL REFERENCES factions.factions(id) ON DELETE CASCADE,
    player_id   uuid NOT NULL REFERENCES accounts.players(id) ON DELETE CASCADE,
    invited_by  uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (faction_id, player_id),
    CONSTRAINT faction_invites_expiry_check CHECK (expires_at > created_at)
);
CREATE INDEX idx_faction_invites_player ON factions.faction_invites (player_id);

-- The faction ledger: every change of a treasury, append-only (platform's refuse_ledger_change,
-- attached in prisma/sql/factions/). For each faction the deltas sum to its treasury. No foreign
-- keys: the ledger outlives members. reason: deposit, withdraw, disband_payout, territory_income.
CREATE TABLE factions.faction_ledger (
    id              bigserial PRIMARY KEY,
    faction_id      uuid NOT NULL,
    player_id       uuid,
    delta           bigint NOT NULL,
    balance_after   bigint NOT NULL,
    reason          varchar(32) NOT NULL,
    reference       varchar(255),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT faction_ledger_delta_check CHECK (delta <> 0),
    CONSTRAINT faction_ledger_balance_check CHECK (balance_after >= 0)
);
CREATE INDEX idx_faction_ledger_faction ON factions.faction_ledger (faction_id, id DESC);
-- The per-rank daily withdraw limit sums a member's withdrawals of the day.
CREATE INDEX idx_faction_ledger_withdrawals ON factions.faction_ledger (faction_id, player_id, created_at)
    WHERE reason = 'withdraw';

GRANT SELECT, INSERT, UPDATE, DELETE ON factions.faction_invites, factions.faction_ledger TO tn1_factions;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE factions.faction_ledger_id_seq TO tn1_factions;

-- Factions owns players.faction_id (docs/architecture.md "Data ownership"); the rows live in
-- accounts. Column grant: factions changes nothing else there; it reads who a character is and
-- which server it is joined to (the access checks).
GRANT USAGE ON SCHEMA accounts TO tn1_factions;
GRANT SELECT ON accounts.players TO tn1_factions;
GRANT UPDATE (faction_id) ON accounts.players TO tn1_factions;
-- Treasury moves call market's published functions (prisma/sql/market/30_factions_published.sql).
GRANT USAGE ON SCHEMA market TO tn1_factions;
