/**
 * NATS_URL may carry the user and password (`nats://inventory:secret@nats:4222`), as DATABASE_URL
 * does; nats.js takes them as separate options, so every connection of the platform goes through
 * here. The URL handed to nats.js never holds the password, so its errors cannot print it.
 */
export interface NatsServerOptions {
  servers: string;
  user?: string;
  pass?: string;
}

export function natsConnectOptions(url: string): NatsServerOptions {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { servers: url };
  const user = decodeURIComponent(parsed.username);
  const pass = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return { servers: parsed.toString().replace(/\/$/, ''), user, pass };
}

/** The URL without its credentials, for logs and error messages. */
export function redactNatsUrl(url: string): string {
  const parsed = new URL(url);
  if (!parsed.password) return url;
  parsed.password = '***';
  return parsed.toString().replace(/\/$/, '');
}
