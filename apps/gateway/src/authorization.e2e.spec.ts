/**
 * The route × principal table of SPEC §8: every /v1 route of accounts, sessions, characters,
 * servers, presence, matchmaking, inventory, world and the generated services, called as a
 * player, another player, a server, another server, an admin and nobody. "allowed" means the
 * request got past authorization (any answer but 401/403: often a 400 for an empty body, since the
 * guard runs before validation).
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  registerServer,
  signUp,
  startCluster,
  TEST_ADMIN_KEY as ADMIN_KEY,
  type SignedUpPlayer,
  type TestCluster,
} from '@trustno1/testing';

type Who = 'player' | 'otherPlayer' | 'server' | 'otherServer' | 'admin' | 'nobody';
type Expect = 'allowed' | 401 | 403 | 'denied';
const WHO: Who[] = ['player', 'otherPlayer', 'server', 'otherServer', 'admin', 'nobody'];

interface Row {
  route: string;
  request: () => { method: string; path: string; body?: unknown };
  expect: Record<Who, Expect>;
}

/** Admin-only, player-only and server-only columns, to keep the table readable. */
const adminOnly: Record<Who, Expect> = {
  player: 403,
  otherPlayer: 403,
  server: 403,
  otherServer: 403,
  admin: 'allowed',
  nobody: 401,
};
const playerOnly: Record<Who, Expect> = {
  player: 'allowed',
  otherPlayer: 'allowed',
  server: 403,
  otherServer: 403,
  admin: 403,
  nobody: 401,
};
const serverOnly: Record<Who, Expect> = {
  player: 403,
  otherPlayer: 403,
  server: 'allowed',
  otherServer: 'allowed',
  admin: 403,
  nobody: 401,
};
const serverOrAdmin: Record<Who, Expect> = { ...serverOnly, admin: 'allowed' };

describe('authorization: route × principal', () => {
  let cluster: TestCluster;
  let a: SignedUpPlayer;
  let b: SignedUpPlayer;
  let s1: { id: string; apiKey: string; headers: Record<string, string> };
  let s2: { id: string; apiKey: string; headers: Record<string, string> };
  let characterA: string;
  let ticketA: string;
  let inventoryA: string;
  const headersOf = (): Record<Who, Record<string, string>> => ({
    player: a.headers,
    otherPlayer: b.headers,
    server: s1.headers,
    otherServer: s2.headers,
    admin: { 'x-admin-key': ADMIN_KEY, 'content-type': 'application/json' },
    nobody: { 'content-type': 'application/json' },
  });

  const call = async (who: Who, req: { method: string; path: string; body?: unknown }) => {
    const headers = { ...headersOf()[who] };
    if (req.body === undefined) delete headers['content-type'];
    const response = await fetch(`${cluster.url}${req.path}`, {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
    });
    const body: unknown = await response.json().catch(() => null);
    return { status: response.status, body };
  };

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'inventory', 'world', 'combat', 'market', 'gateway']);
    [a, b] = await Promise.all([signUp(cluster.url), signUp(cluster.url)]);
    [s1, s2] = await Promise.all([
      registerServer(cluster.url, ADMIN_KEY),
      registerServer(cluster.url, ADMIN_KEY),
    ]);
    for (const s of [s1, s2]) {
      const beat = await call(s === s1 ? 'server' : 'otherServer', {
        method: 'PUT',
        path: '/v1/servers/me/status',
        body: { players: 0, maxPlayers: 100, tickRate: 30, version: '1.0.0' },
      });
      assert.equal(beat.status, 204);
    }
    const created = await call('player', {
      method: 'POST',
      path: '/v1/characters',
      body: { name: `auth_${randomUUID().slice(0, 8)}` },
    });
    assert.equal(created.status, 201);
    characterA = (created.body as { id: string }).id;
    assert.equal(
      (await call('server', { method: 'POST', path: `/v1/players/${characterA}/join` })).status,
      200,
    );
    const ticket = await call('player', {
      method: 'POST',
      path: '/v1/matchmaking/eu-west/tickets',
      body: { characterId: characterA },
    });
    assert.equal(ticket.status, 202);
    ticketA = (ticket.body as { ticketId: string }).ticketId;
    const inventory = await call('server', { method: 'GET', path: `/v1/players/${characterA}/inventory` });
    assert.equal(inventory.status, 200);
    inventoryA = (inventory.body as { id: string }).id;
  });

  afterAll(() => cluster?.stop());

  const rows: Row[] = [
    {
      route: 'POST /v1/accounts',
      request: () => ({ method: 'POST', path: '/v1/accounts', body: {} }),
      expect: {
        player: 'allowed',
        otherPlayer: 'allowed',
        server: 403,
        otherServer: 403,
        admin: 'allowed',
        nobody: 'allowed',
      },
    },
    {
      route: 'POST /v1/sessions',
      request: () => ({ method: 'POST', path: '/v1/sessions', body: {} }),
      expect: {
        player: 'allowed',
        otherPlayer: 'allowed',
        server: 403,
        otherServer: 403,
        admin: 403,
        nobody: 'allowed',
      },
    },
    {
      route: 'DELETE /v1/sessions/current',
      // Only the refusals: a player's own logout is tested where it cannot end this table's sessions.
      request: () => ({ method: 'DELETE', path: '/v1/sessions/current' }),
      expect: {
        player: 'allowed',
        otherPlayer: 'allowed',
        server: 403,
        otherServer: 403,
        admin: 403,
        nobody: 401,
      },
    },
    {
      route: 'GET /v1/accounts/me',
      request: () => ({ method: 'GET', path: '/v1/accounts/me' }),
      expect: playerOnly,
    },
    {
      route: 'PUT /v1/accounts/me/password',
      request: () => ({ method: 'PUT', path: '/v1/accounts/me/password', body: {} }),
      expect: playerOnly,
    },
    {
      // Allowed for the player: a pending enrolment, which changes nothing until verified.
      route: 'POST /v1/accounts/me/2fa',
      request: () => ({ method: 'POST', path: '/v1/accounts/me/2fa', body: {} }),
      expect: playerOnly,
    },
    {
      route: 'POST /v1/accounts/me/2fa/verify',
      request: () => ({ method: 'POST', path: '/v1/accounts/me/2fa/verify', body: {} }),
      expect: playerOnly,
    },
    {
      route: 'POST /v1/admin/accounts/{id}/ban',
      request: () => ({ method: 'POST', path: `/v1/admin/accounts/${b.accountId}/ban`, body: {} }),
      expect: adminOnly,
    },
    {
      route: 'DELETE /v1/admin/accounts/{id}/ban',
      request: () => ({ method: 'DELETE', path: `/v1/admin/accounts/${randomUUID()}/ban` }),
      expect: adminOnly,
    },
    {
      route: 'POST /v1/admin/accounts/{id}/premium',
      request: () => ({ method: 'POST', path: `/v1/admin/accounts/${b.accountId}/premium`, body: {} }),
      expect: adminOnly,
    },
    {
      route: 'POST /v1/characters',
      request: () => ({ method: 'POST', path: '/v1/characters', body: {} }),
      expect: playerOnly,
    },
    {
      route: 'GET /v1/characters',
      request: () => ({ method: 'GET', path: '/v1/characters' }),
      expect: playerOnly,
    },
    {
      route: 'POST /v1/admin/servers',
      request: () => ({ method: 'POST', path: '/v1/admin/servers', body: {} }),
      expect: adminOnly,
    },
    {
      route: 'DELETE /v1/admin/servers/{id}',
      request: () => ({ method: 'DELETE', path: `/v1/admin/servers/${randomUUID()}` }),
      expect: adminOnly,
    },
    {
      route: 'PUT /v1/servers/me/status',
      request: () => ({ method: 'PUT', path: '/v1/servers/me/status', body: {} }),
      expect: serverOnly,
    },
    {
      route: 'GET /v1/servers?region=',
      request: () => ({ method: 'GET', path: '/v1/servers?region=eu-west' }),
      expect: playerOnly,
    },
    {
      route: 'POST /v1/players/{id}/join',
      // The other server may call the route, and is then refused by the game rule (409).
      request: () => ({ method: 'POST', path: `/v1/players/${characterA}/join` }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/players/{id}/leave',
      // Only the server the character is joined to may make it leave.
      request: () => ({ method: 'POST', path: `/v1/players/${characterA}/leave` }),
      expect: { ...serverOnly, server: 'allowed', otherServer: 'denied' },
    },
    {
      route: 'PUT /v1/players/states',
      request: () => ({
        method: 'PUT',
        path: '/v1/players/states',
        body: {
          states: [
            { playerId: characterA, position: { x: 1, y: 2, z: 3 }, rotation: { x: 0, y: 0, z: 0, w: 1 } },
          ],
        },
      }),
      expect: { ...serverOnly, otherServer: 'denied' },
    },
    {
      route: 'GET /v1/chunks/{x}/{z}/players',
      request: () => ({ method: 'GET', path: '/v1/chunks/0/0/players' }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/matchmaking/{region}/tickets',
      request: () => ({
        method: 'POST',
        path: '/v1/matchmaking/eu-west/tickets',
        body: { characterId: characterA },
      }),
      expect: { ...playerOnly, otherPlayer: 'denied' },
    },
    {
      route: 'GET /v1/matchmaking/tickets/{ticketId}',
      request: () => ({ method: 'GET', path: `/v1/matchmaking/tickets/${ticketA}` }),
      expect: { ...playerOnly, otherPlayer: 'denied' },
    },
  ];

  // The character's own inventory: its player, and the server it is joined to.
  const ownInventory: Record<Who, Expect> = {
    player: 'allowed',
    otherPlayer: 'denied',
    server: 'allowed',
    otherServer: 'denied',
    admin: 403,
    nobody: 401,
  };
  rows.push(
    {
      route: 'GET /v1/catalog/items',
      request: () => ({ method: 'GET', path: '/v1/catalog/items' }),
      expect: { ...serverOnly, player: 'allowed', otherPlayer: 'allowed' },
    },
    {
      route: 'POST /v1/inventories',
      request: () => ({ method: 'POST', path: '/v1/inventories', body: {} }),
      expect: serverOnly,
    },
    {
      route: 'GET /v1/inventories/{id}',
      request: () => ({ method: 'GET', path: `/v1/inventories/${inventoryA}` }),
      expect: ownInventory,
    },
    {
      route: 'GET /v1/players/{id}/inventory',
      request: () => ({ method: 'GET', path: `/v1/players/${characterA}/inventory` }),
      expect: ownInventory,
    },
    {
      route: 'POST /v1/inventories/{id}/items',
      request: () => ({ method: 'POST', path: `/v1/inventories/${inventoryA}/items`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/items/{id}/move',
      request: () => ({ method: 'POST', path: `/v1/items/${randomUUID()}/move`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/items/{id}/consume',
      request: () => ({ method: 'POST', path: `/v1/items/${randomUUID()}/consume`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'DELETE /v1/items/{id}',
      request: () => ({ method: 'DELETE', path: `/v1/items/${randomUUID()}?quantity=1&reason=test` }),
      expect: serverOnly,
    },
    {
      route: 'PUT /v1/inventories/{id}/lock',
      request: () => ({ method: 'PUT', path: `/v1/inventories/${inventoryA}/lock`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'GET /v1/items/{id}/history',
      request: () => ({ method: 'GET', path: `/v1/items/${randomUUID()}/history` }),
      expect: serverOnly,
    },
    {
      // An empty body: past the guard a server gets 400; the joined-server rule is the service's.
      route: 'POST /v1/players/{id}/corpse',
      request: () => ({ method: 'POST', path: `/v1/players/${characterA}/corpse`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'GET /v1/catalog/structures',
      request: () => ({ method: 'GET', path: '/v1/catalog/structures' }),
      expect: serverOnly,
    },
    {
      route: 'GET /v1/catalog/vehicles',
      request: () => ({ method: 'GET', path: '/v1/catalog/vehicles' }),
      expect: serverOnly,
    },
    {
      route: 'GET /v1/chunks/{x}/{z}',
      request: () => ({ method: 'GET', path: '/v1/chunks/3/-2' }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/structures',
      request: () => ({ method: 'POST', path: '/v1/structures', body: {} }),
      expect: serverOnly,
    },
    {
      route: 'GET /v1/structures/{id}',
      request: () => ({ method: 'GET', path: `/v1/structures/${randomUUID()}` }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/structures/{id}/damage',
      request: () => ({ method: 'POST', path: `/v1/structures/${randomUUID()}/damage`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/structures/{id}/repair',
      request: () => ({ method: 'POST', path: `/v1/structures/${randomUUID()}/repair`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/structures/{id}/upkeep',
      request: () => ({ method: 'POST', path: `/v1/structures/${randomUUID()}/upkeep`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/structures/{id}/authorize',
      request: () => ({ method: 'POST', path: `/v1/structures/${randomUUID()}/authorize`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/structures/{id}/deauthorize',
      request: () => ({ method: 'POST', path: `/v1/structures/${randomUUID()}/deauthorize`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/vehicles',
      request: () => ({ method: 'POST', path: '/v1/vehicles', body: {} }),
      expect: serverOnly,
    },
    {
      route: 'GET /v1/vehicles/{id}',
      request: () => ({ method: 'GET', path: `/v1/vehicles/${randomUUID()}` }),
      expect: serverOnly,
    },
    {
      route: 'PATCH /v1/vehicles/{id}',
      request: () => ({ method: 'PATCH', path: `/v1/vehicles/${randomUUID()}`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/vehicles/{id}/lock',
      request: () => ({ method: 'POST', path: `/v1/vehicles/${randomUUID()}/lock`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/vehicles/{id}/unlock',
      request: () => ({ method: 'POST', path: `/v1/vehicles/${randomUUID()}/unlock`, body: {} }),
      expect: serverOnly,
    },
    {
      // Game servers read territories for their rules, operators for administration.
      route: 'GET /v1/territories',
      request: () => ({ method: 'GET', path: '/v1/territories' }),
      expect: { ...serverOnly, admin: 'allowed' },
    },
    {
      route: 'POST /v1/territories',
      request: () => ({ method: 'POST', path: '/v1/territories', body: {} }),
      expect: adminOnly,
    },
    {
      route: 'POST /v1/territories/{id}/capture',
      request: () => ({ method: 'POST', path: `/v1/territories/${randomUUID()}/capture`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'GET /v1/events',
      request: () => ({ method: 'GET', path: '/v1/events?active=true' }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/events/{id}/join',
      request: () => ({ method: 'POST', path: `/v1/events/${randomUUID()}/join`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/events/{id}/complete',
      request: () => ({ method: 'POST', path: `/v1/events/${randomUUID()}/complete`, body: {} }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/paths',
      request: () => ({ method: 'POST', path: '/v1/paths', body: {} }),
      expect: serverOnly,
    },
    {
      route: 'GET /v1/paths/{jobId}',
      request: () => ({ method: 'GET', path: `/v1/paths/path.${'0'.repeat(32)}` }),
      expect: serverOnly,
    },
    // Combat: a server acts on the characters joined to it; a player reads its own combat state.
    {
      route: 'POST /v1/combat/hits',
      request: () => ({ method: 'POST', path: '/v1/combat/hits', body: {} }),
      expect: serverOnly,
    },
    {
      route: 'POST /v1/players/{id}/respawn',
      request: () => ({ method: 'POST', path: `/v1/players/${characterA}/respawn`, body: {} }),
      expect: { ...serverOnly, otherServer: 'denied' },
    },
    {
      route: 'GET /v1/players/{id}/combat',
      request: () => ({ method: 'GET', path: `/v1/players/${characterA}/combat` }),
      expect: { ...serverOnly, player: 'allowed', otherPlayer: 'denied', otherServer: 'denied' },
    },
    {
      route: 'GET /v1/combat/logs',
      request: () => ({ method: 'GET', path: `/v1/combat/logs?playerId=${characterA}` }),
      expect: { ...serverOrAdmin, otherServer: 'denied' },
    },
    // Projectiles in flight: game servers only, each its own (combat filters by the server).
    {
      route: 'POST /v1/combat/projectiles',
      request: () => ({ method: 'POST', path: '/v1/combat/projectiles', body: {} }),
      expect: serverOnly,
    },
    {
      route: 'GET /v1/combat/projectiles',
      request: () => ({ method: 'GET', path: '/v1/combat/projectiles' }),
      expect: serverOnly,
    },
    {
      route: 'DELETE /v1/combat/projectiles/{id}',
      request: () => ({ method: 'DELETE', path: `/v1/combat/projectiles/${randomUUID()}` }),
      expect: serverOnly,
    },
    // The generated services' example routes. Factions is not part of this cluster: an
    // allowed call gets past the gateway's authorization and then 503 UNAVAILABLE, which counts as allowed.
    {
      route: 'GET /v1/combat/status',
      request: () => ({ method: 'GET', path: '/v1/combat/status' }),
      expect: serverOrAdmin,
    },
    // Raids: servers and admins read every raid, a player its own factions' (combat filters);
    // combat is not in this cluster, so an allowed call ends 503 UNAVAILABLE.
    {
      route: 'GET /v1/raids?factionId=&structureId=&active=',
      request: () => ({ method: 'GET', path: '/v1/raids?active=true' }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'allowed' },
    },
    {
      route: 'GET /v1/raids/{id}',
      request: () => ({ method: 'GET', path: `/v1/raids/${randomUUID()}` }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'allowed' },
    },
    {
      route: 'GET /v1/market/status',
      request: () => ({ method: 'GET', path: '/v1/market/status' }),
      expect: serverOrAdmin,
    },
    // Market (issue 13): a server acts for the characters joined to it, a player reads its own
    // wallets, ledger and claims, an admin does everything; every caller may search listings.
    {
      route: 'GET /v1/players/{id}/wallets',
      request: () => ({ method: 'GET', path: `/v1/players/${characterA}/wallets` }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'denied', otherServer: 'denied' },
    },
    {
      route: 'POST /v1/players/{id}/wallets/{currency}/credit',
      request: () => ({
        method: 'POST',
        path: `/v1/players/${characterA}/wallets/scrap/credit`,
        body: { amount: 1, reason: 'loot' },
      }),
      expect: { ...serverOrAdmin, otherServer: 'denied' },
    },
    {
      route: 'POST /v1/players/{id}/wallets/{currency}/debit',
      request: () => ({
        method: 'POST',
        path: `/v1/players/${characterA}/wallets/scrap/debit`,
        body: { amount: 1, reason: 'fine' },
      }),
      expect: { ...serverOrAdmin, otherServer: 'denied' },
    },
    {
      route: 'GET /v1/players/{id}/wallets/{currency}/ledger',
      request: () => ({ method: 'GET', path: `/v1/players/${characterA}/wallets/scrap/ledger` }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'denied', otherServer: 'denied' },
    },
    {
      route: 'POST /v1/market/listings',
      request: () => ({ method: 'POST', path: '/v1/market/listings', body: {} }),
      expect: serverOrAdmin,
    },
    {
      route: 'GET /v1/market/listings',
      request: () => ({ method: 'GET', path: '/v1/market/listings?currency=scrap' }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'allowed' },
    },
    {
      route: 'POST /v1/market/listings/{id}/purchase',
      request: () => ({ method: 'POST', path: `/v1/market/listings/${randomUUID()}/purchase`, body: {} }),
      expect: serverOrAdmin,
    },
    {
      route: 'DELETE /v1/market/listings/{id}',
      request: () => ({ method: 'DELETE', path: `/v1/market/listings/${randomUUID()}` }),
      expect: serverOrAdmin,
    },
    {
      route: 'GET /v1/players/{id}/claims',
      request: () => ({ method: 'GET', path: `/v1/players/${characterA}/claims` }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'denied', otherServer: 'denied' },
    },
    {
      route: 'POST /v1/players/{id}/claims/{claimId}/collect',
      request: () => ({
        method: 'POST',
        path: `/v1/players/${characterA}/claims/${randomUUID()}/collect`,
        body: {},
      }),
      expect: { ...serverOrAdmin, otherServer: 'denied' },
    },
    // Market prices are public figures: any authenticated caller reads them.
    {
      route: 'GET /v1/market/prices/{itemTemplateId}?currency=',
      request: () => ({ method: 'GET', path: '/v1/market/prices/wood?currency=scrap' }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'allowed' },
    },
    // Direct trades: a server acts for the characters joined to it (market checks which), an
    // admin for anyone; a player only reads its characters' trades.
    {
      route: 'POST /v1/trades',
      request: () => ({ method: 'POST', path: '/v1/trades', body: {} }),
      expect: serverOrAdmin,
    },
    {
      route: 'PUT /v1/trades/{id}/offer',
      request: () => ({ method: 'PUT', path: `/v1/trades/${randomUUID()}/offer`, body: {} }),
      expect: serverOrAdmin,
    },
    {
      route: 'POST /v1/trades/{id}/accept',
      request: () => ({ method: 'POST', path: `/v1/trades/${randomUUID()}/accept`, body: {} }),
      expect: serverOrAdmin,
    },
    {
      route: 'DELETE /v1/trades/{id}',
      request: () => ({ method: 'DELETE', path: `/v1/trades/${randomUUID()}` }),
      expect: serverOrAdmin,
    },
    {
      route: 'GET /v1/trades/{id}',
      request: () => ({ method: 'GET', path: `/v1/trades/${randomUUID()}` }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'allowed' },
    },
    {
      route: 'GET /v1/factions/status',
      request: () => ({ method: 'GET', path: '/v1/factions/status' }),
      expect: serverOrAdmin,
    },
    // Factions (issue 14): a server acts for the characters joined to it (factions checks that),
    // an admin for anyone; a player reads the list, its own faction and its ledger (factions checks
    // the membership). Factions is not in this cluster: an allowed call ends 503 UNAVAILABLE.
    ...(
      [
        ['POST', '/v1/factions', '/v1/factions'],
        ['PATCH', '/v1/factions/{id}', `/v1/factions/${randomUUID()}`],
        ['DELETE', '/v1/factions/{id}', `/v1/factions/${randomUUID()}`],
        ['POST', '/v1/factions/{id}/invites', `/v1/factions/${randomUUID()}/invites`],
        [
          'DELETE',
          '/v1/factions/{id}/invites/{playerId}',
          `/v1/factions/${randomUUID()}/invites/${randomUUID()}`,
        ],
        ['POST', '/v1/factions/{id}/join', `/v1/factions/${randomUUID()}/join`],
        ['POST', '/v1/factions/{id}/leave', `/v1/factions/${randomUUID()}/leave`],
        ['POST', '/v1/factions/{id}/kick', `/v1/factions/${randomUUID()}/kick`],
        [
          'PATCH',
          '/v1/factions/{id}/members/{playerId}',
          `/v1/factions/${randomUUID()}/members/${randomUUID()}`,
        ],
        ['POST', '/v1/factions/{id}/leader', `/v1/factions/${randomUUID()}/leader`],
        ['POST', '/v1/factions/{id}/treasury/deposit', `/v1/factions/${randomUUID()}/treasury/deposit`],
        ['POST', '/v1/factions/{id}/treasury/withdraw', `/v1/factions/${randomUUID()}/treasury/withdraw`],
      ] as const
    ).map(([method, route, path]): Row => ({
      route: `${method} ${route}`,
      request: () => ({ method, path, body: {} }),
      expect: serverOrAdmin,
    })),
    {
      route: 'GET /v1/factions?search=&limit=&cursor=',
      request: () => ({ method: 'GET', path: '/v1/factions?search=a' }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'allowed' },
    },
    {
      route: 'GET /v1/factions/{id}',
      request: () => ({ method: 'GET', path: `/v1/factions/${randomUUID()}` }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'allowed' },
    },
    {
      route: 'GET /v1/factions/{id}/treasury/ledger',
      request: () => ({ method: 'GET', path: `/v1/factions/${randomUUID()}/treasury/ledger` }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'allowed' },
    },
    {
      route: 'GET /v1/seasons/status',
      request: () => ({ method: 'GET', path: '/v1/seasons/status' }),
      expect: serverOrAdmin,
    },
    // Leaderboards (issue 15): public standings, read by players, game servers and admins alike.
    {
      route: 'GET /v1/leaderboards/{board}',
      request: () => ({ method: 'GET', path: '/v1/leaderboards/wealth' }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'allowed' },
    },
    {
      route: 'GET /v1/leaderboards/{board}/around/{id}',
      request: () => ({ method: 'GET', path: `/v1/leaderboards/playtime/around/${characterA}` }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'allowed' },
    },
    {
      route: 'GET /v1/seasons',
      request: () => ({ method: 'GET', path: '/v1/seasons' }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'allowed' },
    },
    {
      route: 'GET /v1/seasons/{id}/leaderboards/{board}',
      request: () => ({
        method: 'GET',
        path: '/v1/seasons/00000000-0000-4000-8000-000000000001/leaderboards/wealth',
      }),
      expect: { ...serverOrAdmin, player: 'allowed', otherPlayer: 'allowed' },
    },
    // Ending a season is the operators' call; the body is empty, so the admin gets 400.
    {
      route: 'POST /v1/admin/seasons',
      request: () => ({ method: 'POST', path: '/v1/admin/seasons', body: {} }),
      expect: adminOnly,
    },
    // <service rows: nx g @trustno1/generators:service adds its example route here>
  );

  /** Runs the refusals first, so a request that is allowed cannot change what a later one sees. */
  const order = (row: Row): Who[] =>
    [...WHO].sort((x, y) => Number(row.expect[x] === 'allowed') - Number(row.expect[y] === 'allowed'));

  for (const row of rows) {
    it(row.route, async () => {
      for (const who of order(row)) {
        if (row.route === 'DELETE /v1/sessions/current' && (who === 'player' || who === 'otherPlayer'))
          continue;
        if (row.route === 'POST /v1/players/{id}/leave' && who === 'server') continue;
        const { status, body } = await call(who, row.request());
        const expected = row.expect[who];
        const detail = `${row.route} as ${who}: ${status} ${JSON.stringify(body)}`;
        if (expected === 'allowed') assert.ok(status !== 401 && status !== 403, detail);
        else if (expected === 'denied') assert.ok([403, 404].includes(status), detail);
        else assert.equal(status, expected, detail);
      }
    });
  }

  it('lists every /v1 route of the OpenAPI document, and nothing else', async () => {
    const doc = (await (await fetch(`${cluster.url}/docs/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const shape = (route: string) => route.replace(/\{[^}]+\}/g, '{}');
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => shape(`${method.toUpperCase()} ${path}`)),
      )
      .sort();
    const tabled = new Set(rows.map((row) => shape(row.route.split('?')[0])));
    assert.deepEqual(
      {
        untested: documented.filter((r) => !tabled.has(r)),
        undocumented: [...tabled].filter((r) => !documented.includes(r)),
      },
      { untested: [], undocumented: [] },
    );
  });

  it('refuses a wrong credential with 401 instead of treating it as nobody', async () => {
    const tries: Array<Record<string, string>> = [
      { authorization: 'Bearer not-a-real-session-token-000000' },
      { authorization: 'Basic dXNlcjpwYXNz' },
      { 'x-server-key': 'not-a-real-server-key' },
      { 'x-admin-key': 'not-the-admin-key' },
    ];
    for (const headers of tries) {
      const response = await fetch(`${cluster.url}/v1/accounts`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(response.status, 401, JSON.stringify(headers));
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
    }
  });

  it('lets a player read only its own characters', async () => {
    const { body } = await call('otherPlayer', { method: 'GET', path: '/v1/characters' });
    assert.ok(Array.isArray(body));
    assert.ok(!(body as Array<{ id: string }>).some((c) => c.id === characterA));
  });
});
