import type { ClientBase } from 'pg';
import { DATABASE_SCHEMAS } from '../roles';

// A read-only description of the live schema (every owner's schema and public), taken from the
// system catalogs. The schema tests compare it with the seed and with schema.prisma. Table and
// type names are unique across the schemas, so entries are named without their schema; tables
// and enums carry it.

// The repeatable migrations' bookkeeping is the applier's, not the application's, so it is left
// out (the specs skip Prisma's own `_prisma_migrations` themselves).
const APPLIER_TABLES = ['_repeatable_migrations'];
const inSchema = (table: string) => !APPLIER_TABLES.includes(table);

/** The schemas read: the owners', platform's and public. */
const SCHEMAS = `(${DATABASE_SCHEMAS.map((name) => `'${name}'`).join(', ')})`;

export interface CatalogTable {
  /** The schema the table lives in (its owner's, or public). */
  schema: string;
  name: string;
  partitioned: boolean;
  /** Set on a partition: the table it is a partition of. */
  partitionOf: string | null;
  /** Storage parameters, e.g. "autovacuum_vacuum_scale_factor=0.02". */
  options: string[];
}

export interface CatalogColumn {
  table: string;
  name: string;
  /** information_schema.columns.data_type, e.g. "character varying", "ARRAY", "USER-DEFINED". */
  dataType: string;
  /** The underlying type name, e.g. "varchar", "_uuid", "currency_type". */
  udtName: string;
  maxLength: number | null;
  /** Fractional-second digits of time types (6 unless a precision was given), null otherwise. */
  datetimePrecision: number | null;
  nullable: boolean;
  default: string | null;
}

export interface CatalogConstraint {
  table: string;
  name: string;
  kind: 'primary' | 'unique' | 'foreign' | 'check' | 'exclusion' | 'trigger';
  columns: string[];
  refTable: string | null;
  refColumns: string[];
  /** Referential actions of a foreign key: "NO ACTION", "CASCADE", ... */
  onDelete: string | null;
  onUpdate: string | null;
}

export interface CatalogIndex {
  table: string;
  name: string;
  unique: boolean;
  /** Key columns as written in the definition, "created_at DESC" for descending ones. */
  columns: string[];
  /** The deparsed predicate of a partial index, e.g. "(is_online = true)". */
  predicate: string | null;
  /** pg_indexes.indexdef */
  definition: string;
}

export interface CatalogEnum {
  schema: string;
  name: string;
  labels: string[];
}

export interface Catalog {
  tables: CatalogTable[];
  columns: CatalogColumn[];
  constraints: CatalogConstraint[];
  indexes: CatalogIndex[];
  enums: CatalogEnum[];
}

const ACTIONS: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

const KINDS: Record<string, CatalogConstraint['kind']> = {
  p: 'primary',
  u: 'unique',
  f: 'foreign',
  c: 'check',
  x: 'exclusion',
  t: 'trigger',
};

// Row shapes of the catalog queries below.
interface TableRow {
  schema: string;
  name: string;
  partitioned: boolean;
  partition_of: string | null;
  options: string[];
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  max_length: number | null;
  precision: number | null;
  nullable: boolean;
  column_default: string | null;
}

interface ConstraintRow {
  table_name: string;
  name: string;
  kind: string;
  columns: string[];
  ref_table: string | null;
  ref_columns: string[];
  on_delete: string;
  on_update: string;
}

interface IndexRow {
  table_name: string;
  name: string;
  unique: boolean;
  columns: string[];
  predicate: string | null;
  definition: string;
}

interface EnumRow {
  schema: string;
  name: string;
  labels: string[];
}

/** Reads tables, columns, constraints, indexes and enum types of the application's schemas. */
export async function readCatalog(client: ClientBase): Promise<Catalog> {
  return {
    tables: (await readTables(client)).filter((t) => inSchema(t.name)),
    columns: (await readColumns(client)).filter((c) => inSchema(c.table)),
    constraints: (await readConstraints(client)).filter((c) => inSchema(c.table)),
    indexes: (await readIndexes(client)).filter((i) => inSchema(i.table)),
    enums: await readEnums(client),
  };
}

async function readTables(client: ClientBase): Promise<CatalogTable[]> {
  const { rows } = await client.query<TableRow>(`
    SELECT c.relnamespace::regnamespace::text AS schema, c.relname::text AS name, c.relkind = 'p' AS partitioned,
           parent.relname::text AS partition_of, coalesce(c.reloptions, '{}')::text[] AS options
      FROM pg_class c
      LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
      LEFT JOIN pg_class parent ON parent.oid = i.inhparent
     WHERE c.relnamespace::regnamespace::text IN ${SCHEMAS} AND c.relkind IN ('r', 'p')
     ORDER BY c.relname`);
  return rows.map((row) => ({
    schema: row.schema,
    name: row.name,
    partitioned: row.partitioned,
    partitionOf: row.partition_of,
    options: row.options,
  }));
}

async function readColumns(client: ClientBase): Promise<CatalogColumn[]> {
  const { rows } = await client.query<ColumnRow>(`
    SELECT table_name::text, column_name::text, data_type::text, udt_name::text,
           character_maximum_length::int AS max_length, datetime_precision::int AS precision,
           is_nullable = 'YES' AS nullable,
           column_default::text
      FROM information_schema.columns
     WHERE table_schema IN ${SCHEMAS}
     ORDER BY table_name, ordinal_position`);
  return rows.map((row) => ({
    table: row.table_name,
    name: row.column_name,
    dataType: row.data_type,
    udtName: row.udt_name,
    maxLength: row.max_length,
    datetimePrecision: row.precision,
    nullable: row.nullable,
    default: row.column_default,
  }));
}

async function readConstraints(client: ClientBase): Promise<CatalogConstraint[]> {
  const { rows } = await client.query<ConstraintRow>(`
    SELECT cl.relname::text AS table_name, con.conname::text AS name, con.contype::text AS kind,
           ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num
                  ORDER BY k.ord) AS columns,
           ref.relname::text AS ref_table,
           ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
                   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num
                  ORDER BY k.ord) AS ref_columns,
           con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update
      FROM pg_constraint con
      JOIN pg_class cl ON cl.oid = con.conrelid
      LEFT JOIN pg_class ref ON ref.oid = con.confrelid
     WHERE cl.relnamespace::regnamespace::text IN ${SCHEMAS}
     ORDER BY cl.relname, con.conname`);
  return rows.map((row) => ({
    table: row.table_name,
    name: row.name,
    kind: KINDS[row.kind],
    columns: row.columns,
    refTable: row.ref_table,
    refColumns: row.ref_columns,
    onDelete: ACTIONS[row.on_delete] ?? null,
    onUpdate: ACTIONS[row.on_update] ?? null,
  }));
}

async function readIndexes(client: ClientBase): Promise<CatalogIndex[]> {
  const { rows } = await client.query<IndexRow>(`
    SELECT t.relname::text AS table_name, ic.relname::text AS name, i.indisunique AS unique,
           ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
                        || CASE WHEN i.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END
                   FROM generate_series(1, i.indnkeyatts) k ORDER BY k) AS columns,
           pg_get_expr(i.indpred, i.indrelid) AS predicate,
           pg_get_indexdef(i.indexrelid) AS definition
      FROM pg_index i
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relnamespace::regnamespace::text IN ${SCHEMAS}
     ORDER BY t.relname, ic.relname`);
  return rows.map((row) => ({
    table: row.table_name,
    name: row.name,
    unique: row.unique,
    columns: row.columns,
    predicate: row.predicate,
    definition: row.definition,
  }));
}

async function readEnums(client: ClientBase): Promise<CatalogEnum[]> {
  const { rows } = await client.query<EnumRow>(`
    SELECT t.typnamespace::regnamespace::text AS schema, t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
     WHERE t.typnamespace::regnamespace::text IN ${SCHEMAS}
     GROUP BY t.typnamespace, t.typname
     ORDER BY t.typname`);
  return rows.map((row) => ({ schema: row.schema, name: row.name, labels: row.labels }));
}
