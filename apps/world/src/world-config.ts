import { serviceConfigSchema, z } from '@trustno1/config';

/**
 * The world app's environment: the service base plus WORLD_SEED, the seed every chunk's terrain is
 * generated from. Changing it on a running world makes new chunks disagree with stored ones at
 * their borders, so it is set once per world (per region shard).
 */
export const worldConfigSchema = serviceConfigSchema('world').extend({
  WORLD_SEED: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, dashes or underscores')
    .default('trustno1'),
});

export type WorldConfig = z.infer<typeof worldConfigSchema>;
