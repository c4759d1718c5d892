/**
 * Where a raid alert may go (issue 14, rule 6): a webhook whose host resolves to a private,
 * loopback, link-local, unique-local, CGNAT, multicast or unspecified address is refused unless
 * WEBHOOK_ALLOW_PRIVATE=true, so a faction cannot make the service POST into the cluster (the
 * metadata endpoint 169.254.169.254 included). The DNS name is resolved once, every address is
 * checked, and the POST connects to the checked address (no second lookup, so no DNS-rebinding
 * window); TLS still verifies the certificate against the host name.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The delivery is not attempted: the URL or its address is not allowed. */
export class WebhookRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookRefusedError';
  }
}

/** IPv4 ranges no alert may reach: [first octets as a number, prefix length]. */
const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", 0.0.0.0
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

function v4ToInt(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function v4Blocked(address: string): boolean {
  const value = v4ToInt(address);
  return BLOCKED_V4.some(([base, bits]) => {
    const size = 2 ** (32 - bits);
    const start = v4ToInt(base);
    return value >= start && value < start + size;
  });
}

/** The 8 groups of an IPv6 address as numbers (an embedded dotted IPv4 tail becomes 2 groups). */
function v6Groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4ToInt(dotted[1]);
    text = text.slice(0, -dotted[1].length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - h.length - t.length;
  return [...h, ...Array<string>(missing).fill('0'), ...t].map((g) => parseInt(g, 16));
}

function v6Blocked(address: string): boolean {
  const g = v6Groups(address);
  if (g.length !== 8 || g.some((x) => Number.isNaN(x))) return true;
  const embeddedV4 = () => `${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
  if (g.slice(0, 7).every((x) => x === 0)) return true; // :: and ::1 (and the old ::a.b.c.d)
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return v4Blocked(embeddedV4()); // ::ffff:a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4Blocked(embeddedV4()); // NAT64
  if ((g[0] & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((g[0] & 0xffc0) === 0xfec0) return true; // site-local fec0::/10 (deprecated)
  if ((g[0] & 0xff00) === 0xff00) return true; // multicast
  if (g[0] === 0x2001 && g[1] === 0x0db8) return true; // documentation
  return false;
}

/** True when an alert must not reach `address` (an IPv4 or IPv6 literal); not an IP: true. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return v4Blocked(address);
  if (family === 6) return v6Blocked(address);
  return true;
}

export interface WebhookTarget {
  url: URL;
  /** The checked address the POST connects to. */
  address: string;
  family: 4 | 6;
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * Parses the webhook, resolves its host and checks every address it has (any private one refuses
 * the lot: a name with a public and a private address is how rebinding starts). Answers the first
 * address to connect to.
 */
export async function resolveWebhookTarget(
  webhook: string,
  options: { allowPrivate: boolean; resolve?: Resolver },
): Promise<WebhookTarget> {
  let url: URL;
  try {
    url = new URL(webhook);
  } catch {
    throw new WebhookRefusedError('the webhook is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new WebhookRefusedError(`the webhook's scheme ${url.protocol} is not http(s)`);
  }
  if (url.username || url.password) throw new WebhookRefusedError('the webhook carries credentials');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch (error) {
      throw new WebhookRefusedError(`the webhook's host does not resolve (${(error as Error).message})`);
    }
  }
  if (addresses.length === 0) throw new WebhookRefusedError("the webhook's host has no address");
  if (!options.allowPrivate) {
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) {
      throw new WebhookRefusedError(
        `the webhook's host resolves to a private, loopback or link-local address (${bad.address})`,
      );
    }
  }
  const first = addresses[0];
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** What one POST answered. */
export interface PostResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/** How long one POST may take, connect to last byte. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * POSTs `body` as JSON to the target, connecting to its checked address (the `lookup` option
 * answers it instead of asking DNS again); the Host header and TLS server name stay the URL's host.
 * A 2xx answer is success; anything else, a timeout or a socket error is a failure. Redirects are
 * not followed.
 */
export function postJson(target: WebhookTarget, body: unknown): Promise<PostResult> {
  const payload = JSON.stringify(body);
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    } else {
      callback(null, target.address, target.family);
    }
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        timeout: WEBHOOK_TIMEOUT_MS,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'user-agent': 'trustno1-factions-raid-alerts',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          resolve({ ok, status, error: ok ? null : `HTTP ${status}` });
        });
        res.on('error', (error) =>
          resolve({ ok: false, status: res.statusCode ?? null, error: error.message }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${WEBHOOK_TIMEOUT_MS} ms`)));
    req.on('error', (error) => resolve({ ok: false, status: null, error: error.message }));
    req.end(payload);
  });
}
