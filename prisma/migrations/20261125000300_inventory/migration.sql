-- Item catalog, containers, items and the item ledger ("Sistema de Inventarios", SPEC section 3).
-- The overlap exclusion constraint and the bounds/stack checks on inventory_items belong to the
-- item-transfer work and arrive in their own migration.

CREATE TABLE item_templates (
    id              VARCHAR(64) PRIMARY KEY,
    name            VARCHAR(128) NOT NULL,
    category        VARCHAR(32) NOT NULL,
    width           SMALLINT NOT NULL,
    height          SMALLINT NOT NULL,
    max_stack       INTEGER NOT NULL DEFAULT 1,
    weight          FLOAT NOT NULL DEFAULT 0,
    max_durability  FLOAT,
    stackable       BOOLEAN NOT NULL DEFAULT FALSE,
    data            JSONB NOT NULL DEFAULT '{}',
    catalog_version VARCHAR(32) NOT NULL,
    CONSTRAINT item_templates_size_check CHECK (width > 0 AND height > 0),
    CONSTRAINT item_templates_max_stack_check CHECK (max_stack > 0 AND (stackable OR max_stack = 1)),
    CONSTRAINT item_templates_weight_check CHECK (weight >= 0),
    CONSTRAINT item_templates_max_durability_check CHECK (max_durability IS NULL OR max_durability > 0)
);

CREATE TABLE inventories (
    id          UUID PRIMARY KEY,
    owner_id    UUID NOT NULL,
    owner_type  inventory_owner_type NOT NULL,
    grid_width  SMALLINT NOT NULL,
    grid_height SMALLINT NOT NULL,
    max_weight  FLOAT,
    locked      BOOLEAN DEFAULT FALSE,
    lock_code   VARCHAR(10),
    created_at  TIMESTAMPTZ DEFAULT NOW()
);

CREATE TABLE inventory_items (
    id               UUID PRIMARY KEY,
    inventory_id     UUID REFERENCES inventories(id) ON DELETE CASCADE,
    item_template_id VARCHAR(64) NOT NULL REFERENCES item_templates(id),
    grid_x           SMALLINT NOT NULL,
    grid_y           SMALLINT NOT NULL,
    grid_width       SMALLINT NOT NULL,
    grid_height      SMALLINT NOT NULL,
    quantity         INTEGER DEFAULT 1,
    durability       FLOAT,
    attachments      JSONB,
    custom_data      JSONB,
    created_at       TIMESTAMPTZ DEFAULT NOW(),
    UNIQUE (inventory_id, grid_x, grid_y)
);

CREATE INDEX idx_inventory_items_template ON inventory_items(item_template_id);

-- Shared by item_ledger and wallet_ledger: history is only ever appended. Archiving old rows is
-- an operator action that disables the trigger explicitly (docs/database.md).
CREATE FUNCTION refuse_ledger_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;

-- No foreign keys: the ledger must outlive the items and inventories it mentions.
CREATE TABLE item_ledger (
    id                BIGSERIAL PRIMARY KEY,
    item_id           UUID NOT NULL,
    template_id       VARCHAR(64) NOT NULL,
    from_inventory_id UUID,
    to_inventory_id   UUID,
    quantity          INTEGER NOT NULL,
    reason            VARCHAR(32) NOT NULL,
    reference         VARCHAR(255),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT item_ledger_side_check CHECK (from_inventory_id IS NOT NULL OR to_inventory_id IS NOT NULL)
);

CREATE INDEX idx_item_ledger_item ON item_ledger(item_id, created_at);

CREATE TRIGGER item_ledger_append_only
    BEFORE UPDATE OR DELETE ON item_ledger
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER item_ledger_no_truncate
    BEFORE TRUNCATE ON item_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();
