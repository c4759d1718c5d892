// prisma/schema.prisma and the database the migrations build must describe the same schema, in
// both directions: a column, index, key, relation or enum value added on one side only fails
// here. The schema is read offline through Prisma's own parser (prisma-schema-wasm get_dmmf).
import assert from 'node:assert/strict';
import { createTestDatabase } from '@trustno1/testing';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { Client } from 'pg';
import { readCatalog, type Catalog, type CatalogColumn, type CatalogConstraint } from './migrate/catalog';

const SCHEMA_PATH = resolve(__dirname, '../../../prisma/schema.prisma');

// --- the parts of Prisma's DMMF this test reads ----------------------------------------------

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  /** The model's @@schema. */
  schema: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
}

interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  fields: { name: string; sortOrder?: 'asc' | 'desc' }[];
}

interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName: string | null }[];
}

interface Datamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
}

function loadDatamodel(schema: string): Datamodel {
  return JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: schema }))).datamodel;
}

/** Each enum's @@schema, by Prisma name: the DMMF does not carry it for enums. */
function enumSchemas(schema: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of schema.matchAll(/^enum (\w+) \{[^}]*@@schema\("(\w+)"\)/gm)) found.set(m[1], m[2]);
  return found;
}

/** `map: "name", where: raw("predicate")` pairs: the DMMF does not carry partial predicates. */
function partialPredicates(schema: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of schema.matchAll(/map:\s*"(\w+)",\s*where:\s*raw\("((?:[^"\\]|\\.)*)"\)/g))
    found.set(m[1], m[2]);
  return found;
}

// --- names and types as Prisma maps them to PostgreSQL -------------------------------------

const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
const columnOf = (field: DmmfField) => field.dbName ?? field.name;
const isColumn = (field: DmmfField) => field.kind === 'scalar' || field.kind === 'enum';

function columnsOf(model: DmmfModel, fieldNames: string[]): string[] {
  return fieldNames.map((name) =>
    columnOf(model.fields.find((f) => f.name === name) ?? fail(`${model.name}.${name}?`)),
  );
}

// Prisma's default constraint names (used when the schema gives no map:).
const defaultName = {
  primary: (table: string) => `${table}_pkey`,
  unique: (table: string, columns: string[]) => `${table}_${columns.join('_')}_key`,
  foreign: (table: string, columns: string[]) => `${table}_${columns.join('_')}_fkey`,
};

interface ColumnType {
  udtName: string;
  maxLength: number | null;
  datetimePrecision: number | null;
}

const NATIVE: Record<string, Record<string, string>> = {
  String: { '': 'text', Text: 'text', Uuid: 'uuid', VarChar: 'varchar', Char: 'bpchar' },
  Int: { '': 'int4', Integer: 'int4', SmallInt: 'int2' },
  BigInt: { '': 'int8', BigInt: 'int8' },
  Float: { '': 'float8', DoublePrecision: 'float8', Real: 'float4' },
  Boolean: { '': 'bool', Boolean: 'bool' },
  DateTime: { '': 'timestamp', Timestamp: 'timestamp', Timestamptz: 'timestamptz' },
  Json: { '': 'jsonb', JsonB: 'jsonb', Json: 'json' },
  Bytes: { '': 'bytea', ByteA: 'bytea' },
  // Precision and scale are not compared (information_schema's udt is numeric either way).
  Decimal: { '': 'numeric', Decimal: 'numeric' },
};

function expectedType(model: DmmfModel, field: DmmfField, enums: DmmfEnum[]): ColumnType {
  const [native, args] = field.nativeType ?? ['', []];
  const element =
    field.kind === 'enum'
      ? (enums.find((e) => e.name === field.type)?.dbName ?? field.type)
      : (NATIVE[field.type]?.[native] ??
        fail(`${model.name}.${field.name}: teach this test ${field.type} @db.${native}`));
  const sized = native === 'VarChar' || native === 'Char';
  // Prisma's DateTime without a native type is TIMESTAMP(3).
  const precision = field.type === 'DateTime' ? (args.length ? Number(args[0]) : native ? 6 : 3) : null;
  return {
    udtName: field.isList ? `_${element}` : element,
    maxLength: sized && !field.isList ? Number(args[0]) : null,
    datetimePrecision: field.isList ? null : precision,
  };
}

/** The column_default PostgreSQL reports for a Prisma @default, or a matcher for it. */
function expectedDefault(field: DmmfField, column: CatalogColumn): string | RegExp | null {
  if (!field.hasDefaultValue) return null;
  const value = field.default as { name?: string; args?: unknown[] } | string | number | boolean;
  if (typeof value === 'object' && value !== null) {
    if (value.name === 'now') return 'now()';
    if (value.name === 'autoincrement') return /^nextval\('\w+'::regclass\)$/;
    if (value.name === 'dbgenerated') return String(value.args?.[0]);
    return fail(`${field.name}: @default(${value.name}()) is applied by Prisma Client, not the database`);
  }
  if (typeof value === 'boolean') return String(value);
  // BigInt defaults arrive as strings, Float ones as numbers (30.0 becomes 30).
  if (['Int', 'BigInt', 'Float'].includes(field.type)) return new RegExp(`^${value}(\\.0+)?$`);
  if (field.kind === 'enum' || field.type === 'Json') return `'${String(value)}'::${column.udtName}`;
  return fail(`${field.name}: teach this test how PostgreSQL shows a ${field.type} default`);
}

const ACTIONS: Record<string, string> = {
  NoAction: 'NO ACTION',
  Restrict: 'RESTRICT',
  Cascade: 'CASCADE',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

function fail(message: string): never {
  throw new Error(message);
}

// --- the test -------------------------------------------------------------------------------

describe('schema.prisma agrees with the migrated database', () => {
  const schema = readFileSync(SCHEMA_PATH, 'utf8');
  const datamodel = loadDatamodel(schema);
  const predicates = partialPredicates(schema);
  let database: { url: string; drop: () => Promise<void> };
  let catalog: Catalog;

  const modelOf = (name: string) => datamodel.models.find((m) => m.name === name) ?? fail(`no model ${name}`);
  const columnIn = (table: string, name: string) =>
    catalog.columns.find((c) => c.table === table && c.name === name);
  const constraintsOf = (table: string, kind: CatalogConstraint['kind']) =>
    catalog.constraints.filter((c) => c.table === table && c.kind === kind);
  // Tables as a schema sees them: partitions are storage, not part of the model.
  const tables = () => catalog.tables.filter((t) => !t.partitionOf && t.name !== '_prisma_migrations');

  beforeAll(async () => {
    database = await createTestDatabase();
    const client = new Client({ connectionString: database.url });
    await client.connect();
    catalog = await readCatalog(client).finally(() => client.end());
  });

  afterAll(async () => {
    await database?.drop();
  });

  describe('from schema.prisma to the database', () => {
    it('every model has its table, in the schema its @@schema names', () => {
      for (const model of datamodel.models) {
        const table =
          tables().find((t) => t.name === tableOf(model)) ??
          fail(`table ${tableOf(model)} for model ${model.name}`);
        assert.equal(table.schema, model.schema, `schema of ${tableOf(model)} (model ${model.name})`);
      }
    });

    it('every field has its column, with the same type, list-ness, nullability and default', () => {
      for (const model of datamodel.models) {
        for (const field of model.fields.filter(isColumn)) {
          const where = `${model.name}.${field.name} (${tableOf(model)}.${columnOf(field)})`;
          const column = columnIn(tableOf(model), columnOf(field)) ?? fail(`missing column for ${where}`);
          const { udtName, maxLength, datetimePrecision } = column;
          assert.deepEqual(
            { udtName, maxLength, datetimePrecision },
            expectedType(model, field, datamodel.enums),
            `type of ${where}`,
          );
          // Prisma lists are never null, but the seed's UUID[] columns are nullable; the only
          // place the two may differ, and schema.prisma says so next to each list.
          if (!field.isList) assert.equal(column.nullable, !field.isRequired, `nullability of ${where}`);
          const expected = expectedDefault(field, column);
          if (expected instanceof RegExp) assert.match(column.default ?? '', expected, `default of ${where}`);
          else assert.equal(column.default, expected, `default of ${where}`);
        }
      }
    });

    it('every @id and @@id is the primary key', () => {
      for (const model of datamodel.models) {
        const fields = model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name);
        const table = tableOf(model);
        const expected = {
          name: model.primaryKey?.name ?? defaultName.primary(table),
          columns: columnsOf(model, fields),
        };
        const actual = constraintsOf(table, 'primary').map(({ name, columns }) => ({ name, columns }));
        assert.deepEqual(actual, [expected], `primary key of ${table}`);
      }
    });

    it('every @unique and @@unique is a unique constraint with the same name', () => {
      for (const index of datamodel.indexes.filter((i) => i.type === 'unique')) {
        const model = modelOf(index.model);
        const table = tableOf(model);
        const columns = columnsOf(
          model,
          index.fields.map((f) => f.name),
        );
        const name = index.dbName ?? defaultName.unique(table, columns);
        const found = catalog.indexes.find((i) => i.table === table && i.name === name);
        assert.ok(found?.unique, `unique ${name} on ${table}`);
        assert.deepEqual(found.columns, columns, `columns of ${name}`);
      }
    });

    it('every @@index exists with the same columns, order and partial predicate', () => {
      for (const index of datamodel.indexes.filter((i) => i.type === 'normal')) {
        const model = modelOf(index.model);
        const name =
          index.dbName ?? fail(`${model.name}: name every @@index with map:, as the seed names them`);
        const found =
          catalog.indexes.find((i) => i.table === tableOf(model) && i.name === name) ??
          fail(`missing index ${name}`);
        const columns = index.fields.map(
          (f) => columnsOf(model, [f.name])[0] + (f.sortOrder === 'desc' ? ' DESC' : ''),
        );
        assert.deepEqual(found.columns, columns, `columns of ${name}`);
        assert.equal(found.unique, false, `${name} is not unique`);
        const predicate = predicates.get(name);
        assert.equal(
          found.predicate,
          predicate === undefined ? null : `(${predicate})`,
          `predicate of ${name}`,
        );
      }
    });

    it('every relation is a foreign key with the same actions', () => {
      for (const model of datamodel.models) {
        for (const field of model.fields.filter((f) => f.relationFromFields?.length)) {
          const target = modelOf(field.type);
          const table = tableOf(model);
          const columns = columnsOf(model, field.relationFromFields!);
          const name = defaultName.foreign(table, columns);
          const found =
            constraintsOf(table, 'foreign').find((c) => c.name === name) ??
            fail(`missing foreign key ${name}`);
          assert.deepEqual(
            {
              columns: found.columns,
              refTable: found.refTable,
              refColumns: found.refColumns,
              onDelete: found.onDelete,
              onUpdate: found.onUpdate,
            },
            {
              columns,
              refTable: tableOf(target),
              refColumns: columnsOf(target, field.relationToFields!),
              onDelete: ACTIONS[field.relationOnDelete ?? ''],
              onUpdate: ACTIONS[field.relationOnUpdate ?? ''],
            },
            `${model.name}.${field.name}`,
          );
        }
      }
    });

    it('every enum is a type with the same values in the same order, in its @@schema', () => {
      const schemas = enumSchemas(schema);
      for (const prismaEnum of datamodel.enums) {
        const name = prismaEnum.dbName ?? prismaEnum.name;
        const found = catalog.enums.find((e) => e.name === name) ?? fail(`missing enum type ${name}`);
        assert.equal(found.schema, schemas.get(prismaEnum.name), `schema of enum ${name}`);
        assert.deepEqual(
          found.labels,
          prismaEnum.values.map((v) => v.dbName ?? v.name),
          `labels of ${name}`,
        );
      }
    });
  });

  describe('from the database to schema.prisma', () => {
    it('every table (partitions aside) has a model', () => {
      const modelled = new Set(datamodel.models.map(tableOf));
      for (const table of tables()) assert.ok(modelled.has(table.name), `table ${table.name} has no model`);
    });

    it('every column has a field', () => {
      for (const table of tables()) {
        const model = datamodel.models.find((m) => tableOf(m) === table.name);
        if (!model) continue;
        const fields = new Set(model.fields.filter(isColumn).map(columnOf));
        for (const column of catalog.columns.filter((c) => c.table === table.name)) {
          assert.ok(
            fields.has(column.name),
            `column ${table.name}.${column.name} has no field in ${model.name}`,
          );
        }
      }
    });

    it('every foreign key is a relation', () => {
      for (const table of tables()) {
        const model = datamodel.models.find((m) => tableOf(m) === table.name);
        const relations = new Set(
          (model?.fields ?? [])
            .filter((f) => f.relationFromFields?.length)
            .map((f) => columnsOf(model!, f.relationFromFields!).join(',')),
        );
        for (const fk of constraintsOf(table.name, 'foreign')) {
          assert.ok(
            relations.has(fk.columns.join(',')),
            `foreign key ${fk.name} has no relation in ${model?.name}`,
          );
        }
      }
    });

    it('every index and unique constraint is in the schema', () => {
      const named = new Set<string>();
      for (const index of datamodel.indexes) {
        const model = modelOf(index.model);
        const table = tableOf(model);
        const columns = columnsOf(
          model,
          index.fields.map((f) => f.name),
        );
        if (index.type === 'id') named.add(defaultName.primary(table));
        else named.add(index.dbName ?? defaultName.unique(table, columns));
      }
      for (const model of datamodel.models) if (model.primaryKey?.name) named.add(model.primaryKey.name);
      // Expression indexes cannot be written in schema.prisma; the schema declares them by name in
      // its "SQL-only:" comments, so an undeclared one still fails here.
      for (const name of sqlOnlyIndexNames(schema)) named.add(name);
      const modelled = new Set(tables().map((t) => t.name));
      for (const index of catalog.indexes.filter((i) => modelled.has(i.table))) {
        assert.ok(named.has(index.name), `index ${index.name} on ${index.table} is not in schema.prisma`);
      }
    });

    it('every enum type is a Prisma enum', () => {
      const names = new Set(datamodel.enums.map((e) => e.dbName ?? e.name));
      for (const type of catalog.enums)
        assert.ok(names.has(type.name), `enum ${type.name} has no Prisma enum`);
    });
  });
});

/** Index names that schema.prisma declares in its `SQL-only:` comments. */
function sqlOnlyIndexNames(schema: string): string[] {
  const comments = schema.split('\n').filter((line) => /\/\/.*SQL-only:|^\s*\/\/\s+idx_/.test(line));
  // Exclusion constraints (named *_excl) are backed by an index of the same name.
  return comments.flatMap((line) => [...line.matchAll(/\b(idx_\w+|\w+_excl)\b/g)].map((m) => m[1]));
}
