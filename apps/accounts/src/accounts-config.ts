import { serviceConfigSchema, z } from '@trustno1/config';

/** A base64 AES-256 key: 32 random bytes, e.g. `openssl rand -base64 32`. */
const aesKey = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32 && /^[A-Za-z0-9+/]{43}=$/.test(value), {
    message: 'must be 32 random bytes in base64 (openssl rand -base64 32)',
  });

/**
 * The accounts app's environment: the service base plus TOTP_ENCRYPTION_KEY, the key that seals
 * two-factor secrets at rest. Required in production; elsewhere a fixed development key is used,
 * so secrets written by a development or test run are readable by anyone with this source.
 */
export const accountsConfigSchema = serviceConfigSchema('accounts')
  .extend({
    TOTP_ENCRYPTION_KEY: aesKey.optional(),
    /** The world's terrain seed (the world app's WORLD_SEED): spawn points are checked against it. */
    WORLD_SEED: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, dashes or underscores')
      .default('trustno1'),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && config.TOTP_ENCRYPTION_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['TOTP_ENCRYPTION_KEY'],
        message: 'is required in production (openssl rand -base64 32)',
      });
    }
  });

export type AccountsConfig = z.infer<typeof accountsConfigSchema>;

/** The development key: public, so only for NODE_ENV development and test. */
export const DEVELOPMENT_TOTP_KEY = Buffer.alloc(32, 'trustno1-development-only-key!!!').toString('base64');
