// Who connects as whom (docs/database.md "Roles and grants"): every app has its own PostgreSQL
// role, tn1_<app>, created by the owner_schemas migration, and a search_path that starts with
// the schema it owns, so its unqualified SQL names its own tables and platform's shared ones.

/** The schemas of the database: each owning service's, platform's shared tables, public's extensions. */
export const DATABASE_SCHEMAS = [
  'accounts',
  'inventory',
  'world',
  'combat',
  'market',
  'factions',
  'seasons',
  'platform',
  'public',
] as const;

/** The apps that connect to PostgreSQL, each as its own role. */
export const DATABASE_APPS = [
  'gateway',
  'accounts',
  'inventory',
  'world',
  'combat',
  'market',
  'factions',
  'seasons',
  'worker',
] as const;
export type DatabaseApp = (typeof DATABASE_APPS)[number];

const OWNERS: readonly string[] = ['accounts', 'inventory', 'world', 'combat', 'market', 'factions', 'seasons'];

/** The role an app connects as. */
export function databaseRole(app: string): string {
  return `tn1_${app}`;
}

/** An app's search_path: its own schema, then platform, then public (the gateway: public only). */
export function appSearchPath(app: string): string {
  if (app === 'gateway') return 'public';
  return OWNERS.includes(app) ? `${app}, platform, public` : 'platform, public';
}

/** Every schema, for tools and tests that read across owners with the migrator's role. */
export const ALL_SCHEMAS_SEARCH_PATH = DATABASE_SCHEMAS.join(', ');

/** `url` with another user, keeping host, database, parameters (and the password, if any). */
export function withDatabaseUser(url: string, user: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  return parsed.toString();
}

/** `url` whose sessions start with `searchPath` (libpq's `options` parameter). */
export function withSearchPath(url: string, searchPath: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${searchPath.replace(/\s+/g, '')}`);
  return parsed.toString();
}
