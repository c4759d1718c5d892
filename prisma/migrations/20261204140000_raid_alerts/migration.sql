-- Raid alerts and reputation from won raids (issue 14, rules 4 and 6). The functions are in
-- prisma/sql/factions/08_raids.sql.

-- Reputation from a won raid is applied once per raid: the row is the claim (a second event for
-- the same raid finds it and changes nothing).
CREATE TABLE factions.raid_reputation (
    raid_id             uuid PRIMARY KEY,
    raider_faction_id   uuid,
    defender_faction_id uuid,
    raider_gain         int NOT NULL,
    defender_loss       int NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now()
);

-- One alert per base per RAID_ALERT_COOLDOWN_MINUTES: the time of the base's last alert.
CREATE TABLE factions.raid_alert_bases (
    base_id         uuid PRIMARY KEY,
    last_alert_at   timestamptz NOT NULL
);

-- Every raid alert sent (or refused) to a faction's webhook. One per (faction, raid).
-- status: pending (queued), delivered, failed (gave up or the webhook was disabled), refused (the
-- webhook's address is private), skipped (no webhook any more when the job ran).
CREATE TABLE factions.alert_deliveries (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    faction_id      uuid NOT NULL REFERENCES factions.factions(id) ON DELETE CASCADE,
    raid_id         uuid NOT NULL,
    base_id         uuid NOT NULL,
    status          varchar(16) NOT NULL,
    attempts        int NOT NULL DEFAULT 0,
    last_error      text,
    payload         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    CONSTRAINT alert_deliveries_status_check
        CHECK (status IN ('pending', 'delivered', 'failed', 'refused', 'skipped')),
    CONSTRAINT alert_deliveries_attempts_check CHECK (attempts >= 0),
    CONSTRAINT alert_deliveries_raid_key UNIQUE (faction_id, raid_id)
);
CREATE INDEX idx_alert_deliveries_faction ON factions.alert_deliveries (faction_id, created_at DESC);

-- Consecutive failed deliveries of the current webhook; WEBHOOK_MAX_FAILURES of them disable it.
ALTER TABLE factions.factions ADD COLUMN webhook_failures int NOT NULL DEFAULT 0;

GRANT SELECT, INSERT, UPDATE, DELETE ON factions.raid_reputation, factions.raid_alert_bases,
    factions.alert_deliveries TO tn1_factions;
