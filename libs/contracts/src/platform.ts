/** The NATS service apps; each answers a health ping that the gateway's readiness calls. */
export const SERVICES = [
  'accounts',
  'world',
  'inventory',
  'combat',
  'market',
  'factions',
  'seasons',
] as const;
export type Service = (typeof SERVICES)[number];

/** Request subjects of the platform itself (`<domain>.<entity>.<verb>.v1`). */
export const PlatformSubjects = {
  healthPing: (service: Service | 'worker') => `${service}.health.ping.v1`,
} as const;

export interface HealthPingReply {
  service: string;
  status: 'ok';
  uptimeSeconds: number;
}
