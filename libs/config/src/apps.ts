import { z } from 'zod';
import { baseConfigSchema } from './config';

// 0 asks the OS for a free port (tests start many apps at once).
const port = z.coerce.number().int().min(0).max(65535);

/** Default health ports of the service apps; the gateway serves health on HTTP_PORT. */
export const DEFAULT_HEALTH_PORTS = {
  accounts: 3101,
  world: 3102,
  inventory: 3103,
  combat: 3104,
  market: 3105,
  factions: 3106,
  seasons: 3108,
  worker: 3107,
} as const;

export type ServiceName = keyof typeof DEFAULT_HEALTH_PORTS;

/** Config of a NATS service app (accounts, world, inventory, combat, market, factions, worker). */
export function serviceConfigSchema(service: ServiceName) {
  return baseConfigSchema.extend({
    HEALTH_PORT: port.default(DEFAULT_HEALTH_PORTS[service]),
  });
}

/** Config of the HTTP gateway. */
/** TRUSTED_PROXIES: a comma list of addresses or CIDR ranges (`10.0.0.0/8, 127.0.0.1`). */
const trustedProxies = z
  .string()
  .transform((value, ctx): string[] => {
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const bad = entries.filter((entry) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry));
    if (bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `not an address or CIDR range: ${bad.join(', ')}` });
      return z.NEVER;
    }
    return entries;
  })
  .default([]);

export const gatewayConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: port.default(3000),
  /**
   * The proxies (load balancers) whose X-Forwarded-For the gateway believes; empty by default, so a
   * client cannot pick the address its anonymous rate limit counts against.
   */
  TRUSTED_PROXIES: trustedProxies,
  ADMIN_API_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  // 2 MiB: a full 1,000-player state batch fits, and an oversize field gets a 400 naming it.
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(2_097_152),
  SERVICE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Requests per minute per caller; a game server sends state batches many times a second. */
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  RATE_LIMIT_PLAYER_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_SERVER_PER_MINUTE: z.coerce.number().int().min(1).default(120_000),
  /** Failed authentications (every 401) per address and minute before its credentialed requests get 429. */
  RATE_LIMIT_FAILED_AUTH_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /**
   * How many requests sent with `Prefer: respond-async` may wait on one Redis list (hits on
   * damage:queue); past it the gateway answers 503 until the owning service catches up.
   */
  ASYNC_QUEUE_MAX_LENGTH: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
});

/** Config of the worker: the base plus where archived logs go. */
export const workerConfigSchema = serviceConfigSchema('worker').extend({
  ARCHIVE_DIR: z.string().min(1).default('./archive'),
});

export type ServiceConfig = z.infer<ReturnType<typeof serviceConfigSchema>>;
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type WorkerConfig = z.infer<typeof workerConfigSchema>;
