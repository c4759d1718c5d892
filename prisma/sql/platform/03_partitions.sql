-- platform: partition maintenance of combat_logs (monthly) and transactions (yearly). The
-- partition job calls ensure_partitions(); nothing on the write path does (SPEC section 3).

-- Adds the partition [lo, hi) of a table partitioned by RANGE (created_at) unless it exists.
-- Rows that already fell into the default partition for that range are moved first: PostgreSQL
-- refuses a new partition whose rows the default partition holds. Building the table aside and
-- attaching it locks the parent less than CREATE TABLE ... PARTITION OF would.
CREATE OR REPLACE FUNCTION ensure_range_partition(parent text, part text, lo timestamptz, hi timestamptz)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass(part) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
    EXECUTE format(
        'WITH moved AS (DELETE FROM %I WHERE created_at >= $1 AND created_at < $2 RETURNING *) '
        'INSERT INTO %I SELECT * FROM moved',
        parent || '_default', part)
        USING lo, hi;
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lo, hi);
    RETURN true;
END;
$$;

-- Creates the combat_logs partitions of the current month and the next months_ahead months, and
-- the transactions partitions of the years those months fall in (months are UTC calendar months).
-- Idempotent; returns the partitions it created. Called by the partition job, never on the write
-- path (SPEC section 3).
CREATE OR REPLACE FUNCTION ensure_partitions(months_ahead integer DEFAULT 3)
RETURNS SETOF text
LANGUAGE plpgsql AS $$
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
    IF to_regclass('combat_logs_default') IS NULL THEN
        CREATE TABLE combat_logs_default PARTITION OF combat_logs DEFAULT;
        RETURN NEXT 'combat_logs_default';
    END IF;
    IF to_regclass('transactions_default') IS NULL THEN
        CREATE TABLE transactions_default PARTITION OF transactions DEFAULT;
        RETURN NEXT 'transactions_default';
    END IF;
    FOR i IN 0..months_ahead LOOP
        month_start := this_month + make_interval(months => i);
        part := 'combat_logs_' || to_char(month_start, 'YYYY_MM');
        IF ensure_range_partition('combat_logs', part, month_start AT TIME ZONE 'UTC',
                                  (month_start + interval '1 month') AT TIME ZONE 'UTC') THEN
            RETURN NEXT part;
        END IF;
        year_start := date_trunc('year', month_start);
        part := 'transactions_' || to_char(year_start, 'YYYY');
        IF ensure_range_partition('transactions', part, year_start AT TIME ZONE 'UTC',
                                  (year_start + interval '1 year') AT TIME ZONE 'UTC') THEN
            RETURN NEXT part;
        END IF;
    END LOOP;
END;
$$;
