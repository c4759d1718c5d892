/**
 * `npm run load`: the load generator of SPEC §10. It boots accounts, inventory, combat and the
 * gateway as real processes on a fresh database and namespace, then plays N game servers with M
 * players each through the gateway, as game servers would: a state batch per server every tick,
 * item moves, leave/join churn, heartbeats, and hit batches with the occasional death and respawn. It prints throughput, latency percentiles and errors per request,
 * and whether the servers kept their tick rate.
 *
 * Usage: npm run load -- [--profile smoke|seed] [--servers N] [--players M] [--seconds S]
 *          [--tick-hz H] [--moves-per-player-minute R] [--churn-per-server-minute C]
 * Characters and servers are set up directly (SQL factories and the admin route): signing up
 * 10,000 accounts is Argon2id work the run is not about.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { authenticatedNatsForRun } from './lib/nats';
import {
  factories,
  liveSession,
  registerServer,
  startCluster,
  TEST_ADMIN_KEY,
  type TestCluster,
} from '@trustno1/testing';
import { exitWithUsageIfAsked } from '../tools/usage';
import { Recorder, renderLoadTable } from './lib/recorder';

interface Profile {
  servers: number;
  players: number;
  seconds: number;
  tickHz: number;
  movesPerPlayerMinute: number;
  churnPerServerMinute: number;
  /** Hit batches per server per second (10 hits each between random joined players). */
  hitBatchesPerServerSecond: number;
  /** Market operations per server per second by its traders: listings, purchases, cancels, trades. */
  marketOpsPerServerSecond: number;
}

const PROFILES: Record<string, Profile> = {
  /** A minute's sanity check on a laptop. */
  smoke: {
    servers: 2,
    players: 100,
    seconds: 20,
    tickHz: 10,
    movesPerPlayerMinute: 6,
    churnPerServerMinute: 30,
    hitBatchesPerServerSecond: 2,
    marketOpsPerServerSecond: 4,
  },
  /** The seed's first target: 10,000 concurrent players on 10 full servers. */
  seed: {
    servers: 10,
    players: 1000,
    seconds: 60,
    tickHz: 10,
    movesPerPlayerMinute: 2,
    churnPerServerMinute: 60,
    hitBatchesPerServerSecond: 2,
    marketOpsPerServerSecond: 4,
  },
};

const ROTATION = { x: 0, y: 0, z: 0, w: 1 };
const MOVE_SLOTS = 5;

const describe = (p: Profile) =>
  `${p.servers} servers x ${p.players} players, ${p.seconds} s, ${p.tickHz} Hz, ` +
  `${p.movesPerPlayerMinute} moves/player/min, ${p.churnPerServerMinute} leave+join/server/min, ` +
  `${p.hitBatchesPerServerSecond} hit batches/server/s, ${p.marketOpsPerServerSecond} market ops/server/s`;

exitWithUsageIfAsked(`
Usage: npm run load -- [--profile smoke|seed] [--servers N] [--players M] [--seconds S]
         [--tick-hz H] [--moves-per-player-minute R] [--churn-per-server-minute C]
         [--hit-batches-per-server-second B] [--market-ops-per-server-second K]

Boots accounts, inventory, combat, market and the gateway on a fresh database and plays N game
servers with M players each through the gateway (state batches every tick, item moves, leave/join
churn, heartbeats, batches of 10 hits with the occasional killing blow and its respawn, and a fifth
of the players trading on the market: listings, purchases, cancels, direct trades); prints throughput, latency percentiles and errors per request, and whether the
servers kept their tick rate. Options override the profile's values.

Profiles:
${Object.entries(PROFILES)
  .map(([name, p]) => `  ${name.padEnd(6)} ${describe(p)}`)
  .join('\n')}
`);

function profileFromArgs(): Profile {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string', default: 'smoke' },
      servers: { type: 'string' },
      players: { type: 'string' },
      seconds: { type: 'string' },
      'tick-hz': { type: 'string' },
      'moves-per-player-minute': { type: 'string' },
      'churn-per-server-minute': { type: 'string' },
      'hit-batches-per-server-second': { type: 'string' },
      'market-ops-per-server-second': { type: 'string' },
    },
  });
  const base = PROFILES[values.profile];
  if (!base) throw new Error(`--profile must be one of ${Object.keys(PROFILES).join(', ')}`);
  const num = (name: keyof typeof values, fallback: number, max: number) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || n > max)
      throw new Error(`--${name} must be a number from 0 to ${max}`);
    return n;
  };
  return {
    servers: num('servers', base.servers, 100),
    players: num('players', base.players, 1000),
    seconds: num('seconds', base.seconds, 3600),
    tickHz: num('tick-hz', base.tickHz, 60),
    movesPerPlayerMinute: num('moves-per-player-minute', base.movesPerPlayerMinute, 600),
    churnPerServerMinute: num('churn-per-server-minute', base.churnPerServerMinute, 6000),
    hitBatchesPerServerSecond: num('hit-batches-per-server-second', base.hitBatchesPerServerSecond, 100),
    marketOpsPerServerSecond: num('market-ops-per-server-second', base.marketOpsPerServerSecond, 100),
  };
}

/** One virtual game server: its key, its characters and what is in flight. */
interface VirtualServer {
  id: string;
  headers: Record<string, string>;
  players: {
    id: string;
    inventoryId: string;
    itemId: string;
    slot: number;
    x: number;
    z: number;
    /** A trader sells its stone and buys others': its bag fills, so item moves leave it alone. */
    trader: boolean;
    stoneId: string;
    stone: number;
  }[];
  /** Active listings of this server's traders: id, seller index, units left. */
  listings: { id: string; seller: number; left: number }[];
  joined: Set<number>;
  busy: Set<number>;
  batch: Promise<void> | null;
}

class Http {
  constructor(private readonly base: string) {}

  async send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<unknown> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) {
      const code = text ? ((JSON.parse(text) as { error?: { code?: string } }).error?.code ?? '') : '';
      throw new Error(`HTTP ${response.status} ${code}`.trim());
    }
    return text ? JSON.parse(text) : undefined;
  }
}

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

async function setUp(cluster: TestCluster, http: Http, profile: Profile): Promise<VirtualServer[]> {
  const f = factories(cluster.pool);
  const servers: VirtualServer[] = [];
  for (let s = 0; s < profile.servers; s++) {
    const server = await registerServer(cluster.url, TEST_ADMIN_KEY, {
      name: `load-${s}`,
      region: 'load',
      maxPlayers: profile.players,
    });
    const characters = await Promise.all(Array.from({ length: profile.players }, () => f.character()));
    // A join needs the player to be logged in (a live session) or assigned by matchmaking.
    await inBatches(characters, 100, (c) => liveSession(cluster.redis, c.accountId));
    servers.push({
      id: server.id,
      headers: server.headers,
      players: characters.map((c, n) => ({
        id: c.id,
        inventoryId: c.inventoryId,
        itemId: '',
        slot: 0,
        x: (s % 10) * 1280 + (n % 40) * 30 + 5,
        z: Math.floor(n / 40) * 30 + 5,
        trader: profile.marketOpsPerServerSecond > 0 && n % 5 === 0,
        stoneId: '',
        stone: 0,
      })),
      listings: [],
      joined: new Set(),
      busy: new Set(),
      batch: null,
    });
  }
  for (const server of servers) {
    await heartbeat(http, server, profile);
    await inBatches([...server.players.keys()], 50, async (n) => {
      const player = server.players[n];
      await http.send('POST', `/v1/players/${player.id}/join`, server.headers);
      const item = (await http.send('POST', `/v1/inventories/${player.inventoryId}/items`, server.headers, {
        templateId: 'wood',
        quantity: 10,
        gridX: 0,
        gridY: 0,
        reason: 'load_test',
      })) as { id: string };
      player.itemId = item.id;
      if (player.trader) {
        const stone = (await http.send(
          'POST',
          `/v1/inventories/${player.inventoryId}/items`,
          server.headers,
          {
            templateId: 'stone',
            quantity: 100,
            gridX: 0,
            gridY: 2,
            reason: 'load_test',
          },
        )) as { id: string };
        player.stoneId = stone.id;
        player.stone = 100;
        await http.send('POST', `/v1/players/${player.id}/wallets/scrap/credit`, server.headers, {
          amount: 1_000_000,
          reason: 'quest_reward',
        });
      }
      server.joined.add(n);
    });
  }
  return servers;
}

function heartbeat(http: Http, server: VirtualServer, profile: Profile): Promise<unknown> {
  return http.send('PUT', '/v1/servers/me/status', server.headers, {
    players: server.joined.size,
    maxPlayers: profile.players,
    tickRate: Math.max(1, profile.tickHz),
    version: 'load',
  });
}

function stateBatch(server: VirtualServer, tick: number) {
  return {
    states: [...server.joined].map((n) => {
      const p = server.players[n];
      const step = tick % 20 < 10 ? 0.5 : -0.5;
      p.x += step;
      return { playerId: p.id, position: { x: p.x, y: 2, z: p.z }, rotation: ROTATION };
    }),
  };
}

/** Picks a joined player with nothing in flight (a trader or not), or -1. */
function idlePlayer(server: VirtualServer, trader = false): number {
  for (let tries = 0; tries < 8; tries++) {
    const n = Math.floor(Math.random() * server.players.length);
    if (server.joined.has(n) && !server.busy.has(n) && server.players[n].trader === trader) return n;
  }
  return -1;
}

interface Tally {
  ticksDue: number;
  ticksSkipped: number;
  playerUpdates: number;
  hitsApplied: number;
  kills: number;
  unitsBought: number;
  tradesExecuted: number;
}

async function play(http: Http, servers: VirtualServer[], profile: Profile) {
  const states = new Recorder('PUT /v1/players/states (batch)');
  const moves = new Recorder('POST /v1/items/{id}/move');
  const leaves = new Recorder('POST /v1/players/{id}/leave');
  const joins = new Recorder('POST /v1/players/{id}/join');
  const beats = new Recorder('PUT /v1/servers/me/status');
  const hits = new Recorder('POST /v1/combat/hits (10 hits)');
  const respawns = new Recorder('POST /v1/players/{id}/respawn');
  const listed = new Recorder('POST /v1/market/listings');
  const bought = new Recorder('POST /v1/market/listings/{id}/purchase');
  const cancelled = new Recorder('DELETE /v1/market/listings/{id}');
  const traded = new Recorder('direct trade (open, 2 offers, 2 accepts)');
  const tally: Tally = {
    ticksDue: 0,
    ticksSkipped: 0,
    playerUpdates: 0,
    hitsApplied: 0,
    kills: 0,
    unitsBought: 0,
    tradesExecuted: 0,
  };
  const end = Date.now() + profile.seconds * 1000;
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const tickLoop = async (server: VirtualServer) => {
    if (profile.tickHz === 0) return;
    const period = 1000 / profile.tickHz;
    for (let tick = 0, next = Date.now(); next < end; tick++, next += period) {
      await sleep(Math.max(0, next - Date.now()));
      tally.ticksDue++;
      if (server.batch) {
        tally.ticksSkipped++; // the previous batch is still in flight: the server falls behind
        continue;
      }
      const body = stateBatch(server, tick);
      tally.playerUpdates += body.states.length;
      server.batch = states
        .time(async () => void (await http.send('PUT', '/v1/players/states', server.headers, body)))
        .then(() => {
          server.batch = null;
        });
    }
  };

  const moveLoop = async (server: VirtualServer) => {
    const perSecond = (profile.movesPerPlayerMinute * profile.players) / 60;
    if (perSecond === 0) return;
    let owed = 0;
    while (Date.now() < end) {
      await sleep(100);
      owed += perSecond / 10;
      for (; owed >= 1; owed--) {
        const n = idlePlayer(server);
        if (n < 0) continue;
        const player = server.players[n];
        const to = (player.slot + 1) % MOVE_SLOTS;
        server.busy.add(n);
        track(
          moves
            .time(async () => {
              await http.send('POST', `/v1/items/${player.itemId}/move`, server.headers, {
                toInventoryId: player.inventoryId,
                gridX: to,
                gridY: 0,
              });
              player.slot = to;
            })
            .finally(() => server.busy.delete(n)),
        );
      }
    }
  };

  const churnLoop = async (server: VirtualServer) => {
    if (profile.churnPerServerMinute === 0) return;
    const period = 60_000 / profile.churnPerServerMinute;
    while (Date.now() + period < end) {
      await sleep(period);
      const n = idlePlayer(server);
      if (n < 0) continue;
      const player = server.players[n];
      server.busy.add(n);
      server.joined.delete(n);
      track(
        (async () => {
          await server.batch; // a batch naming a player who has left would be refused whole
          const left = await leaves.time(
            async () => void (await http.send('POST', `/v1/players/${player.id}/leave`, server.headers)),
          );
          const back =
            left &&
            (await joins.time(
              async () => void (await http.send('POST', `/v1/players/${player.id}/join`, server.headers)),
            ));
          // A player whose leave or join failed is out of the game: no more batches or moves for it.
          if (back) server.joined.add(n);
          server.busy.delete(n);
        })(),
      );
    }
  };

  // Ten hits between random joined players per batch, a killing blow now and then (one batch in
  // 25 ends with a headshot of 1,000), and a respawn for whoever died.
  const hitLoop = async (server: VirtualServer) => {
    if (profile.hitBatchesPerServerSecond === 0) return;
    const period = 1000 / profile.hitBatchesPerServerSecond;
    for (let batch = 0, next = Date.now(); next < end; batch++, next += period) {
      await sleep(Math.max(0, next - Date.now()));
      // Traders stay out of fights: a death would carry their stock off into a corpse.
      const joined = [...server.joined].filter((n) => !server.players[n].trader);
      if (joined.length < 2) continue;
      const someone = () => server.players[joined[Math.floor(Math.random() * joined.length)]];
      const list = Array.from({ length: 10 }, (_, i) => {
        const [attacker, victim] = [someone(), someone()];
        const lethal = i === 9 && batch % 25 === 24;
        return {
          hitId: randomUUID(),
          attackerId: attacker.id === victim.id ? undefined : attacker.id,
          victimId: victim.id,
          damage: lethal ? 1000 : 4,
          hitLocation: lethal ? 'head' : 'thorax',
        };
      });
      track(
        hits.time(async () => {
          const reply = (await http.send('POST', '/v1/combat/hits', server.headers, { hits: list })) as {
            results: { victimId: string; applied: boolean; killed: boolean }[];
          };
          for (const r of reply.results) {
            if (r.applied) tally.hitsApplied++;
            if (!r.killed) continue;
            tally.kills++;
            track(
              respawns.time(
                async () =>
                  void (await http.send('POST', `/v1/players/${r.victimId}/respawn`, server.headers, {})),
              ),
            );
          }
        }),
      );
    }
  };

  // The traders: list 1 to 5 stone at 5 to 20 scrap (while they have some), buy 1 to 3 units of
  // another trader's listing, now and then cancel one of their own (the remainder comes back), or
  // trade 1 or 2 stone directly with another idle trader for 10 scrap each (both accept: it swaps).
  const marketLoop = async (server: VirtualServer) => {
    if (profile.marketOpsPerServerSecond === 0) return;
    const period = 1000 / profile.marketOpsPerServerSecond;
    for (let next = Date.now(); next < end; next += period) {
      await sleep(Math.max(0, next - Date.now()));
      const n = idlePlayer(server, true);
      if (n < 0) continue;
      const player = server.players[n];
      const roll = Math.random();
      const theirs = server.listings.filter((l) => l.seller !== n && l.left > 0);
      const mine = server.listings.filter((l) => l.seller === n);
      server.busy.add(n);
      if (roll < 0.1 && mine.length > 0) {
        const listing = mine[0];
        server.listings.splice(server.listings.indexOf(listing), 1);
        track(
          cancelled
            .time(async () => {
              await http.send('DELETE', `/v1/market/listings/${listing.id}`, server.headers);
            })
            .finally(() => server.busy.delete(n)),
        );
      } else if (roll < 0.6 && theirs.length > 0) {
        const listing = theirs[Math.floor(Math.random() * theirs.length)];
        const quantity = Math.min(listing.left, 1 + Math.floor(Math.random() * 3));
        listing.left -= quantity;
        if (listing.left === 0) server.listings.splice(server.listings.indexOf(listing), 1);
        track(
          bought
            .time(async () => {
              await http.send('POST', `/v1/market/listings/${listing.id}/purchase`, server.headers, {
                buyerId: player.id,
                quantity,
              });
              tally.unitsBought += quantity;
            })
            .finally(() => server.busy.delete(n)),
        );
      } else if (roll < 0.75 && player.stone > 2) {
        const m = idlePlayer(server, true);
        if (m < 0 || m === n) {
          server.busy.delete(n);
          continue;
        }
        const partner = server.players[m];
        server.busy.add(m);
        const quantity = 1 + Math.floor(Math.random() * 2);
        player.stone -= quantity;
        track(
          traded
            .time(async () => {
              const trade = (await http.send('POST', '/v1/trades', server.headers, {
                initiatorId: player.id,
                partnerId: partner.id,
              })) as { id: string };
              await http.send('PUT', `/v1/trades/${trade.id}/offer`, server.headers, {
                playerId: player.id,
                items: [{ itemId: player.stoneId, quantity }],
                money: [],
              });
              await http.send('PUT', `/v1/trades/${trade.id}/offer`, server.headers, {
                playerId: partner.id,
                items: [],
                money: [{ currency: 'scrap', amount: 10 * quantity }],
              });
              await http.send('POST', `/v1/trades/${trade.id}/accept`, server.headers, {
                playerId: player.id,
              });
              const done = (await http.send('POST', `/v1/trades/${trade.id}/accept`, server.headers, {
                playerId: partner.id,
              })) as { status: string };
              if (done.status === 'executed') tally.tradesExecuted++;
            })
            .finally(() => {
              server.busy.delete(n);
              server.busy.delete(m);
            }),
        );
      } else if (player.stone > 5 && mine.length < 10) {
        const quantity = 1 + Math.floor(Math.random() * 5);
        player.stone -= quantity;
        track(
          listed
            .time(async () => {
              const listing = (await http.send('POST', '/v1/market/listings', server.headers, {
                sellerId: player.id,
                itemId: player.stoneId,
                quantity,
                pricePerUnit: 5 + Math.floor(Math.random() * 16),
                currency: 'scrap',
                locationType: 'global',
                expiresInHours: 24,
              })) as { id: string };
              server.listings.push({ id: listing.id, seller: n, left: quantity });
            })
            .finally(() => server.busy.delete(n)),
        );
      } else {
        server.busy.delete(n);
      }
    }
  };

  const heartbeatLoop = async (server: VirtualServer) => {
    while (Date.now() + 5_000 < end) {
      await sleep(5_000);
      track(beats.time(async () => void (await heartbeat(http, server, profile))));
    }
  };

  const started = Date.now();
  await Promise.all(
    servers.flatMap((s) => [
      tickLoop(s),
      moveLoop(s),
      churnLoop(s),
      heartbeatLoop(s),
      hitLoop(s),
      marketLoop(s),
    ]),
  );
  await Promise.all([...pending, ...servers.map((s) => s.batch)]);
  const seconds = (Date.now() - started) / 1000;
  return {
    seconds,
    tally,
    summaries: [states, moves, joins, leaves, beats, hits, respawns, listed, bought, cancelled, traded].map(
      (r) => r.summary(seconds),
    ),
  };
}

async function main(): Promise<void> {
  const profile = profileFromArgs();
  process.stdout.write(`# load: ${JSON.stringify(profile)}\n`);
  const stopNats = await authenticatedNatsForRun();
  const cluster = await startCluster(['accounts', 'inventory', 'combat', 'market', 'gateway'], {
    LOG_LEVEL: 'error',
    DATABASE_POOL_SIZE: '16',
  });
  try {
    const http = new Http(cluster.url);
    const setUpStarted = Date.now();
    const servers = await setUp(cluster, http, profile);
    process.stdout.write(
      `# set up ${profile.servers} servers × ${profile.players} joined players with one item each in ${((Date.now() - setUpStarted) / 1000).toFixed(1)} s\n`,
    );
    const { seconds, tally, summaries } = await play(http, servers, profile);
    const sent = tally.ticksDue - tally.ticksSkipped;
    process.stdout.write(`\n${renderLoadTable(summaries)}\n\n`);
    process.stdout.write(
      [
        `- ran ${seconds.toFixed(1)} s; ticks due ${tally.ticksDue}, sent ${sent}, skipped ${tally.ticksSkipped} (previous batch still in flight)`,
        `- achieved tick rate ${(sent / seconds / Math.max(1, profile.servers)).toFixed(2)} Hz per server of ${profile.tickHz} Hz; player updates ${(tally.playerUpdates / seconds).toFixed(0)}/s`,
        `- hits applied ${tally.hitsApplied} (${(tally.hitsApplied / seconds).toFixed(0)}/s), kills ${tally.kills}, each followed by a respawn`,
        `- market: ${tally.unitsBought} units bought, ${tally.tradesExecuted} direct trades executed`,
      ].join('\n') + '\n',
    );
    process.stdout.write(serverErrors(cluster));
  } finally {
    await cluster.stop();
    await stopNats();
  }
}

/** The distinct errors the apps logged during the run: what is behind a 500 or a 503. */
function serverErrors(cluster: TestCluster): string {
  const lines: string[] = [];
  for (const name of ['gateway', 'accounts', 'inventory', 'combat', 'market'] as const) {
    const seen = new Map<string, number>();
    for (const line of cluster.app(name).output().split('\n')) {
      if (!/"level":(50|60|"error"|"fatal")/.test(line)) continue;
      let key = line.slice(0, 200);
      try {
        const entry = JSON.parse(line) as { msg?: string; err?: { message?: string }; error?: string };
        key = `${entry.msg ?? ''}: ${entry.err?.message ?? entry.error ?? ''}`.slice(0, 200);
      } catch {
        // not JSON: keep the raw start of the line
      }
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    for (const [key, n] of [...seen].sort((a, b) => b[1] - a[1]).slice(0, 5))
      lines.push(`- ${name}: ${n} × ${key}`);
  }
  return lines.length ? `\nerrors logged by the apps:\n${lines.join('\n')}\n` : '';
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
