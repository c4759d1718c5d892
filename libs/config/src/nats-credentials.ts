/**
 * Where a NATS user's password comes from. Without imports: the test harness's global setup loads
 * it by path, outside Jest's module mapping.
 */

/** The environment variable the NATS server reads a user's password from. */
export function natsPasswordVariable(user: string): string {
  return `TN1_NATS_PASSWORD_${user.toUpperCase()}`;
}

/**
 * The password of a user on a local development or test server, which listens on loopback only
 * (as PostgreSQL's trust does). Deployments set every `TN1_NATS_PASSWORD_*` from a secret.
 */
export function devNatsPassword(user: string): string {
  return `tn1-dev-${user.toLowerCase().replace(/_/g, '-')}`;
}

/** The users an `authorization` block names (`user: "inventory"`), in order. */
export function usersOfNatsConfig(config: string): string[] {
  return [...config.matchAll(/^\s*user:\s*"([A-Za-z0-9_-]+)"/gm)].map((m) => m[1]);
}

/** The development password of every user a configuration names, by the variable it reads. */
export function devNatsPasswordEnvFor(config: string): Record<string, string> {
  return Object.fromEntries(
    usersOfNatsConfig(config).map((u) => [natsPasswordVariable(u), devNatsPassword(u)]),
  );
}

/** The URL with a user and password in it (both URL-encoded), as NATS_URL may carry them. */
export function natsUrlWithCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString().replace(/\/$/, '');
}
