-- Platform tables (SPEC sections 1 and 3): transactional outbox, consumer dedupe, HTTP
-- idempotency keys and the registry of dedicated game servers.

-- Shape shared with libs/bus (relay and consumers): change both together.
CREATE TABLE outbox (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    subject      TEXT NOT NULL,
    payload      JSONB NOT NULL,
    headers      JSONB NOT NULL DEFAULT '{}',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ NULL
);

-- The relay only ever reads unpublished rows, oldest first; published rows drop out of it.
CREATE INDEX idx_outbox_unpublished ON outbox(created_at) WHERE published_at IS NULL;

CREATE TABLE processed_events (
    consumer     VARCHAR(128) NOT NULL,
    event_id     UUID NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- response and status_code stay NULL while the first request runs; a purge job deletes rows
-- older than the retention (at least 24 h) through idx_idempotency_keys_created_at.
CREATE TABLE idempotency_keys (
    key          VARCHAR(255) NOT NULL,
    principal    VARCHAR(128) NOT NULL,
    request_hash CHAR(64) NOT NULL,
    response     JSONB,
    status_code  INTEGER,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);

CREATE INDEX idx_idempotency_keys_created_at ON idempotency_keys(created_at);

-- The seed's design limit: at most 1,000 players per server.
CREATE TABLE game_servers (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name         VARCHAR(64) NOT NULL,
    region       VARCHAR(32) NOT NULL,
    api_key_hash CHAR(64) NOT NULL UNIQUE,
    max_players  INTEGER NOT NULL DEFAULT 1000,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at   TIMESTAMPTZ,
    CONSTRAINT game_servers_max_players_check CHECK (max_players BETWEEN 1 AND 1000)
);
