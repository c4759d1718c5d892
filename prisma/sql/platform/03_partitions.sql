-- platform: partition maintenance of combat.combat_logs (monthly) and market.transactions
-- (yearly), and the drop of archived partitions. The partition and archive jobs (the worker, as
-- tn1_worker) call ensure_partitions() and drop_archived_partition(); nothing on the write path
-- does (SPEC section 3). Both are SECURITY DEFINER: DDL needs the tables' owner (the migrator), so
-- they run as the role that applied this file, with a pinned search_path; every table name in
-- them is schema-qualified.

-- Adds the partition [lo, hi) of a table partitioned by RANGE (created_at) unless it exists, in
-- the parent's schema (parent may be qualified, part is a bare name). Rows that already fell into
-- the default partition for that range are moved first: PostgreSQL refuses a new partition whose
-- rows the default partition holds. Building the table aside and attaching it locks the parent
-- less than CREATE TABLE ... PARTITION OF would.
CREATE OR REPLACE FUNCTION ensure_range_partition(parent text, part text, lo timestamptz, hi timestamptz)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_schema text;
    v_table text;
BEGIN
    SELECT n.nspname, c.relname INTO v_schema, v_table
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = parent::regclass;
    IF to_regclass(format('%I.%I', v_schema, part)) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I.%I (LIKE %I.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                   v_schema, part, v_schema, v_table);
    EXECUTE format(
        'WITH moved AS (DELETE FROM %I.%I WHERE created_at >= $1 AND created_at < $2 RETURNING *) '
        'INSERT INTO %I.%I SELECT * FROM moved',
        v_schema, v_table || '_default', v_schema, part)
        USING lo, hi;
    EXECUTE format('ALTER TABLE %I.%I ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                   v_schema, v_table, v_schema, part, lo, hi);
    RETURN true;
END;
$$;

-- Creates the combat_logs partitions of the current month and the next months_ahead months, and
-- the transactions partitions of the years those months fall in (months are UTC calendar months).
-- Idempotent; returns the partitions it created. Called by the partition job, never on the write
-- path (SPEC section 3).
CREATE OR REPLACE FUNCTION ensure_partitions(months_ahead integer DEFAULT 3)
RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = platform, pg_temp AS $$
DECLARE
    this_month  timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
    month_start timestamp;
    year_start  timestamp;
    part        text;
BEGIN
    IF months_ahead IS NULL OR months_ahead < 0 THEN
        RAISE EXCEPTION 'months_ahead must be >= 0, got %', months_ahead;
    END IF;
    -- Two concurrent runs would both see a partition missing; the second would then fail.
    PERFORM pg_advisory_xact_lock(hashtext('ensure_partitions'));
    IF to_regclass('combat.combat_logs_default') IS NULL THEN
        CREATE TABLE combat.combat_logs_default PARTITION OF combat.combat_logs DEFAULT;
        RETURN NEXT 'combat_logs_default';
    END IF;
    IF to_regclass('market.transactions_default') IS NULL THEN
        CREATE TABLE market.transactions_default PARTITION OF market.transactions DEFAULT;
        RETURN NEXT 'transactions_default';
    END IF;
    FOR i IN 0..months_ahead LOOP
        month_start := this_month + make_interval(months => i);
        part := 'combat_logs_' || to_char(month_start, 'YYYY_MM');
        IF ensure_range_partition('combat.combat_logs', part, month_start AT TIME ZONE 'UTC',
                                  (month_start + interval '1 month') AT TIME ZONE 'UTC') THEN
            RETURN NEXT part;
        END IF;
        year_start := date_trunc('year', month_start);
        part := 'transactions_' || to_char(year_start, 'YYYY');
        IF ensure_range_partition('market.transactions', part, year_start AT TIME ZONE 'UTC',
                                  (year_start + interval '1 year') AT TIME ZONE 'UTC') THEN
            RETURN NEXT part;
        END IF;
    END LOOP;
END;
$$;

-- Detaches and drops a dated partition of combat.combat_logs or market.transactions that the
-- archive job has written to cold storage, but only if it still holds exactly p_expected_rows
-- (the archived count): a late write since the export aborts the drop. The partition is locked
-- against writes first; the caller's lock_timeout applies.
CREATE OR REPLACE FUNCTION drop_archived_partition(p_parent text, p_partition text, p_expected_rows bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = platform, pg_temp AS $$
DECLARE
    v_schema text;
    v_rows bigint;
BEGIN
    v_schema := CASE p_parent WHEN 'combat_logs' THEN 'combat' WHEN 'transactions' THEN 'market' END;
    IF v_schema IS NULL THEN
        RAISE EXCEPTION '% is not an archived table', p_parent;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_inherits
                    WHERE inhparent = format('%I.%I', v_schema, p_parent)::regclass
                      AND inhrelid = to_regclass(format('%I.%I', v_schema, p_partition))) THEN
        RAISE EXCEPTION '% is not a partition of %.%', p_partition, v_schema, p_parent;
    END IF;
    EXECUTE format('LOCK TABLE %I.%I IN SHARE MODE', v_schema, p_partition);
    EXECUTE format('SELECT count(*) FROM ONLY %I.%I', v_schema, p_partition) INTO v_rows;
    IF v_rows <> p_expected_rows THEN
        RAISE EXCEPTION '% has % rows, the archive %; not dropped', p_partition, v_rows, p_expected_rows;
    END IF;
    EXECUTE format('ALTER TABLE %I.%I DETACH PARTITION %I.%I', v_schema, p_parent, v_schema, p_partition);
    EXECUTE format('DROP TABLE %I.%I', v_schema, p_partition);
END;
$$;

GRANT EXECUTE ON FUNCTION ensure_partitions(integer), drop_archived_partition(text, text, bigint) TO tn1_worker;
