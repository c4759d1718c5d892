import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;

/** A key shared by the gateway, the worker and the services to seal principals on NATS. */
export interface PrincipalSigningKey {
  id: string;
  secret: Buffer;
}

/**
 * `id:base64secret[,id:base64secret]`: the first key seals, both verify, so a rotation adds the
 * new key second, then moves it first, then drops the old one.
 */
const signingKeys = z.string().transform((text, ctx): PrincipalSigningKey[] => {
  const keys: PrincipalSigningKey[] = [];
  for (const part of text.split(',')) {
    const [id = '', secret = '', ...extra] = part.trim().split(':');
    const bytes = Buffer.from(secret, 'base64');
    if (!KEY_ID.test(id) || extra.length > 0 || bytes.length < 32) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be id:secret[,id:secret] with ids of 1-16 letters, digits, _ or - and secrets of at least 32 bytes in base64',
      });
      return z.NEVER;
    }
    keys.push({ id, secret: bytes });
  }
  if (keys.length > 2 || new Set(keys.map((k) => k.id)).size !== keys.length) {
    ctx.addIssue({ code: 'custom', message: 'at most two keys, with different ids' });
    return z.NEVER;
  }
  return keys;
});

/** Variables every app reads. Defaults are the local development services. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  DATABASE_URL: url(['postgresql:', 'postgres:']).default('postgresql://postgres@127.0.0.1:5432/trustno1'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * `true`: the app connects as its own role (`tn1_<app>`) in place of DATABASE_URL's user, the
   * rest of the URL unchanged. For development and tests, where the server trusts local
   * connections; deployments give each app a DATABASE_URL with its own role instead.
   */
  DATABASE_OWN_ROLE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  QUEUE_REDIS_URL: url(['redis:', 'rediss:']).optional(),
  NATS_URL: url(['nats:', 'tls:']).default('nats://127.0.0.1:4222'),
  /** The app's NATS user; defaults to the app's name (the users of docs/security.md). */
  NATS_USER: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -')
    .optional(),
  /** The app's NATS password; may instead be part of NATS_URL (`nats://user:password@host:4222`). */
  NATS_PASSWORD: z.string().min(1).max(256).optional(),
  /** Prefix for every NATS subject and the events stream; lets test files share one server. */
  NATS_SUBJECT_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_-]+\.)?$/, 'must be empty or a token followed by a dot')
    .default(''),
  EVENTS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('EVENTS'),
  /** Prefix for every Redis key and BullMQ queue; empty in production. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:-]*$/)
    .default(''),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  /** Seals principals on NATS; unset means the public development key (refused in production). */
  PRINCIPAL_SIGNING_KEYS: signingKeys.optional(),
});

/** The configured signing keys; a production app without its own keys does not start. */
export function principalSigningKeys(
  config: Pick<BaseConfig, 'NODE_ENV' | 'PRINCIPAL_SIGNING_KEYS'>,
): PrincipalSigningKey[] | undefined {
  if (config.NODE_ENV === 'production' && !config.PRINCIPAL_SIGNING_KEYS) {
    throw new ConfigError(['PRINCIPAL_SIGNING_KEYS: required when NODE_ENV=production (missing)']);
  }
  return config.PRINCIPAL_SIGNING_KEYS;
}

export type BaseConfig = z.infer<typeof baseConfigSchema>;

/**
 * The NATS URL the app connects with: NATS_URL with NATS_USER (default: the app's name) and
 * NATS_PASSWORD in it when a password is set. The NATS server refuses connections without a user,
 * so a production app without credentials does not start.
 */
export function natsUrlOf(
  config: Pick<BaseConfig, 'NODE_ENV' | 'NATS_URL' | 'NATS_USER' | 'NATS_PASSWORD'>,
  app: string,
): string {
  const url = new URL(config.NATS_URL);
  if (config.NATS_PASSWORD) {
    url.username = encodeURIComponent(config.NATS_USER ?? app);
    url.password = encodeURIComponent(config.NATS_PASSWORD);
  } else if (!url.password && config.NODE_ENV === 'production') {
    throw new ConfigError([
      'NATS_PASSWORD: required when NODE_ENV=production, unless NATS_URL carries a password (missing)',
    ]);
  }
  return url.toString().replace(/\/$/, '');
}

/** BullMQ's Redis: QUEUE_REDIS_URL when set, else the hot-state Redis. */
export function queueRedisUrl(config: Pick<BaseConfig, 'REDIS_URL' | 'QUEUE_REDIS_URL'>): string {
  return config.QUEUE_REDIS_URL ?? config.REDIS_URL;
}

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates `env` against `schema`. Empty strings count as unset so that `FOO=` falls back to
 * the default instead of failing on an empty URL. With `app`, a variable may also be given for
 * that app alone as `<APP>_<NAME>` (`WORLD_HEALTH_PORT`, `INVENTORY_DATABASE_POOL_SIZE`), which
 * wins over `<NAME>`: `npm start` gives every app one environment. Errors name the variable read.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
  app?: string,
): z.infer<S> {
  const keys = Object.keys(schema.shape);
  const input: Record<string, string> = {};
  const source: Record<string, string> = {};
  const prefix = app ? `${app.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_` : undefined;
  for (const key of keys) {
    for (const name of prefix ? [`${prefix}${key}`, key] : [key]) {
      const value = env[name];
      if (value !== undefined && value !== '') {
        input[key] = value;
        source[key] = name;
        break;
      }
    }
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const key = issue.path.join('.') || '(environment)';
        const name = source[key] ?? key;
        const shown =
          input[key] === undefined ? 'missing' : `got ${JSON.stringify(redact(name, input[key]))}`;
        return `${name}: ${issue.message} (${shown})`;
      }),
    );
  }
  return result.data;
}

function redact(name: string, value: string): string {
  return /KEY|SECRET|PASSWORD|TOKEN/.test(name) ? '***' : value;
}

/** Loads config or prints the problems and exits: apps call this before anything else. */
export function loadConfigOrExit<S extends z.ZodObject>(schema: S, app: string): z.infer<S> {
  try {
    return loadConfig(schema, process.env, app);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${app}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

export { z };
