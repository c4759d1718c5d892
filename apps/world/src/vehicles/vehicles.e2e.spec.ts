import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { BusClient } from '@trustno1/bus';
import { VehicleSubjects, type AppError, type VehicleView } from '@trustno1/contracts';
import {
  factories,
  registerServer,
  signUp,
  startCluster,
  TEST_ADMIN_KEY,
  type TestCluster,
  fetchJson,
  type ErrorBody,
} from '@trustno1/testing';

const ROTATION = { x: 0, y: 0, z: 0, w: 1 };

describe('vehicles through the gateway', () => {
  let cluster: TestCluster;
  let pool: Pool;
  let server: Record<string, string>;
  let serverId: string;
  let player: Record<string, string>;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'world', 'gateway']);
    pool = cluster.pool;
    ({ headers: server, id: serverId } = await registerServer(cluster.url, TEST_ADMIN_KEY));
    player = (await signUp(cluster.url)).headers;
  });
  afterAll(() => cluster?.stop());

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = server) =>
    fetchJson(cluster.url, method, path, body, headers);
  const spawn = async (body: Record<string, unknown> = {}) => {
    const response = await call('POST', '/v1/vehicles', {
      templateId: 'sedan',
      position: { x: 300, y: 12, z: -5 },
      rotation: ROTATION,
      ...body,
    });
    assert.equal(response.status, 201);
    return (await response.json()) as VehicleView;
  };
  /** Every vehicle and inventory row, hashed: "nothing changed" is this staying equal. */
  const checksum = async () =>
    (
      await pool.query<{ sum: string }>(
        `SELECT md5(coalesce((SELECT string_agg(v::text, '|' ORDER BY v.id) FROM vehicles v), '') ||
                    coalesce((SELECT string_agg(i::text, '|' ORDER BY i.id) FROM inventories i), '')) AS sum`,
      )
    ).rows[0].sum;
  const expectFields = async (response: Response, fields: string[]) => {
    assert.equal(response.status, 400);
    const body = (await response.json()) as ErrorBody;
    assert.equal(body.error.code, 'VALIDATION_FAILED');
    assert.deepEqual(
      body.error.details?.fields?.map((f) => f.field),
      fields,
    );
  };

  it('spawns from the catalog with a vehicle inventory of its grid, in the chunk of its position', async () => {
    const owner = await factories(pool).character();
    await pool.query(`UPDATE players SET server_id = $2 WHERE id = $1`, [owner.id, serverId]);
    const v = await spawn({ ownerId: owner.id });
    assert.equal(v.templateId, 'sedan');
    assert.deepEqual([v.fuelCurrent, v.fuelMax, v.health, v.maxHealth], [80, 80, 800, 800]);
    assert.deepEqual([v.chunkX, v.chunkZ], [2, -1]);
    assert.deepEqual(v.tireDamage, [0, 0, 0, 0]);
    assert.equal(v.engineDamage, 0);
    assert.equal(v.locked, false);
    assert.equal(v.ownerId, owner.id);
    assert.ok(!('keyCode' in v));
    const inv = await pool.query(
      `SELECT owner_id, owner_type, grid_width, grid_height FROM inventories WHERE id = $1`,
      [v.inventoryId],
    );
    assert.deepEqual(inv.rows[0], { owner_id: v.id, owner_type: 'vehicle', grid_width: 6, grid_height: 4 });
    const got = await call('GET', `/v1/vehicles/${v.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(await got.json(), v);
    const chunk = (await (await call('GET', '/v1/chunks/2/-1')).json()) as { vehicles: { id: string }[] };
    assert.ok(chunk.vehicles.some((c) => c.id === v.id));
  });

  it('refuses an owner who is not joined to the calling server: 403, nothing written', async () => {
    const stranger = await factories(pool).character();
    const before = await checksum();
    const response = await call('POST', '/v1/vehicles', {
      templateId: 'sedan',
      position: { x: 0, y: 0, z: 0 },
      rotation: ROTATION,
      ownerId: stranger.id,
    });
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as ErrorBody).error.code, 'FORBIDDEN');
    assert.equal(await checksum(), before);
  });

  it('replays a spawn with the same Idempotency-Key instead of spawning twice', async () => {
    const headers = { ...server, 'idempotency-key': randomUUID() };
    const body = { templateId: 'motorbike', position: { x: 1, y: 1, z: 1 }, rotation: ROTATION };
    const [a, b] = await Promise.all([
      call('POST', '/v1/vehicles', body, headers),
      call('POST', '/v1/vehicles', body, headers),
    ]);
    const [va, vb] = (await Promise.all([a.json(), b.json()])) as VehicleView[];
    assert.equal(va.id, vb.id);
    const rows = await pool.query(`SELECT 1 FROM vehicles WHERE id = $1`, [va.id]);
    assert.equal(rows.rowCount, 1);
  });

  it('updates position (the chunk follows), fuel, health, damage and modifications, and moves last_used', async () => {
    const v = await spawn();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const response = await call('PATCH', `/v1/vehicles/${v.id}`, {
      position: { x: -0.5, y: 3, z: 128 },
      rotation: { x: 0, y: 1, z: 0, w: 0 },
      fuelCurrent: 0,
      health: 10.5,
      engineDamage: 0.25,
      tireDamage: [0, 1, 0.5, 0],
      modifications: { turbo: true },
    });
    assert.equal(response.status, 200);
    const u = (await response.json()) as VehicleView;
    assert.deepEqual([u.chunkX, u.chunkZ], [-1, 1]);
    assert.deepEqual([u.fuelCurrent, u.health, u.engineDamage], [0, 10.5, 0.25]);
    assert.deepEqual(u.tireDamage, [0, 1, 0.5, 0]);
    assert.deepEqual(u.modifications, { turbo: true });
    assert.ok(new Date(u.lastUsed) > new Date(v.lastUsed));
    const full = await call('PATCH', `/v1/vehicles/${v.id}`, { fuelCurrent: 80, health: 800 });
    assert.equal(full.status, 200, 'the maxima themselves are allowed');
  });

  for (const [label, body, field] of [
    ['fuel above fuelMax', { fuelCurrent: 80.01 }, 'fuelCurrent'],
    ['negative fuel', { fuelCurrent: -1 }, 'fuelCurrent'],
    ['health above maxHealth', { health: 801 }, 'health'],
    ['fuel as a string', { fuelCurrent: '10' }, 'fuelCurrent'],
    ['engine damage above 1', { engineDamage: 1.5 }, 'engineDamage'],
    ['three tires on a sedan', { tireDamage: [0, 0, 0] }, 'tireDamage'],
    ['a tire damage above 1', { tireDamage: [0, 2, 0, 0] }, 'tireDamage.1'],
    ['an unknown field', { color: 'red' }, 'color'],
    ['a position off the map', { position: { x: 1e12, y: 0, z: 0 } }, 'position.x'],
    ['a rotation component of 2', { rotation: { x: 2, y: 0, z: 0, w: 1 } }, 'rotation.x'],
    ['nothing to change', {}, '(body)'],
  ] as const) {
    it(`refuses a PATCH with ${label}: 400 naming ${field}, nothing changed`, async () => {
      const v = await spawn();
      const before = await checksum();
      await expectFields(await call('PATCH', `/v1/vehicles/${v.id}`, body), [field]);
      assert.equal(await checksum(), before);
    });
  }

  for (const [label, body, field] of [
    ['an unknown template', { templateId: 'tank' }, 'templateId'],
    ['a template that is not an id', { templateId: 'Sedan!' }, 'templateId'],
    ['no rotation', { rotation: undefined }, 'rotation'],
    ['an ownerId that is no UUID', { ownerId: 'me' }, 'ownerId'],
    ['a NaN-like position', { position: { x: 'a', y: 0, z: 0 } }, 'position.x'],
  ] as [string, Record<string, unknown>, string][]) {
    it(`refuses a spawn with ${label}: 400 naming ${field}, nothing written`, async () => {
      const before = await checksum();
      const response = await call('POST', '/v1/vehicles', {
        templateId: 'sedan',
        position: { x: 0, y: 0, z: 0 },
        rotation: ROTATION,
        ...body,
      });
      await expectFields(response, [field]);
      assert.equal(await checksum(), before);
    });
  }

  it('answers 404 for unknown vehicles and owners, and writes nothing', async () => {
    const before = await checksum();
    const id = randomUUID();
    for (const [method, path, body] of [
      ['GET', `/v1/vehicles/${id}`, undefined],
      ['PATCH', `/v1/vehicles/${id}`, { fuelCurrent: 1 }],
      ['POST', `/v1/vehicles/${id}/lock`, { keyCode: 'abc' }],
      ['POST', `/v1/vehicles/${id}/unlock`, { keyCode: 'abc' }],
      [
        'POST',
        '/v1/vehicles',
        { templateId: 'sedan', position: { x: 0, y: 0, z: 0 }, rotation: ROTATION, ownerId: id },
      ],
    ] as const) {
      const response = await call(method, path, body);
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(((await response.json()) as ErrorBody).error.code, 'NOT_FOUND');
    }
    await expectFields(await call('GET', '/v1/vehicles/not-a-uuid'), ['id']);
    assert.equal(await checksum(), before);
  });

  it('locks with a key code, refuses another code with 403 WRONG_KEY_CODE, unlocks with the same code', async () => {
    const v = await spawn();
    const locked = await call('POST', `/v1/vehicles/${v.id}/lock`, { keyCode: '1234' });
    assert.equal(locked.status, 200);
    assert.equal(((await locked.json()) as VehicleView).locked, true);
    assert.equal(
      (await call('POST', `/v1/vehicles/${v.id}/lock`, { keyCode: '1234' })).status,
      200,
      'again: no-op',
    );

    const before = await checksum();
    for (const path of ['lock', 'unlock']) {
      const wrong = await call('POST', `/v1/vehicles/${v.id}/${path}`, { keyCode: '9999' });
      assert.equal(wrong.status, 403);
      const body = (await wrong.json()) as ErrorBody;
      assert.equal(body.error.code, 'FORBIDDEN');
      assert.equal(body.error.details?.reason, 'WRONG_KEY_CODE');
    }
    await expectFields(await call('POST', `/v1/vehicles/${v.id}/lock`, { keyCode: 'no spaces' }), [
      'keyCode',
    ]);
    await expectFields(await call('POST', `/v1/vehicles/${v.id}/lock`, {}), ['keyCode']);
    assert.equal(await checksum(), before);

    const unlocked = await call('POST', `/v1/vehicles/${v.id}/unlock`, { keyCode: '1234' });
    assert.equal(unlocked.status, 200);
    assert.equal(((await unlocked.json()) as VehicleView).locked, false);
    const key = await pool.query(`SELECT key_code FROM vehicles WHERE id = $1`, [v.id]);
    assert.equal(key.rows[0].key_code, null, 'unlocking clears the code');
    assert.equal((await call('POST', `/v1/vehicles/${v.id}/lock`, { keyCode: '5678' })).status, 200);
  });

  it('refuses players and anonymous callers on every vehicle route, and writes nothing', async () => {
    const v = await spawn();
    const before = await checksum();
    for (const [headers, status] of [
      [player, 403],
      [{}, 401],
    ] as const) {
      for (const [method, path, body] of [
        ['POST', '/v1/vehicles', { templateId: 'sedan', position: { x: 0, y: 0, z: 0 }, rotation: ROTATION }],
        ['GET', `/v1/vehicles/${v.id}`, undefined],
        ['PATCH', `/v1/vehicles/${v.id}`, { fuelCurrent: 1 }],
        ['POST', `/v1/vehicles/${v.id}/lock`, { keyCode: '1' }],
        ['POST', `/v1/vehicles/${v.id}/unlock`, { keyCode: '1' }],
      ] as const) {
        const response = await call(method, path, body, headers);
        assert.equal(response.status, status, `${method} ${path}`);
      }
    }
    assert.equal(await checksum(), before);
  });
  it('validates and authorizes again for callers on NATS directly, writing nothing', async () => {
    const bus = new BusClient({ ...cluster.bus, serviceName: 'vehicles-test' });
    try {
      const v = await spawn();
      const asServer = { principal: { kind: 'server' as const, serverId: randomUUID(), region: 'eu-west' } };
      // The decay subject is the worker's: any other caller is refused before its payload is read.
      const callerOf = (subject: string) =>
        subject === VehicleSubjects.decay ? { principal: { kind: 'admin' as const } } : asServer;
      const before = await checksum();
      for (const [subject, payload, field] of [
        [VehicleSubjects.update, { vehicleId: v.id, fuelCurrent: 81 }, 'fuelCurrent'],
        [VehicleSubjects.update, { vehicleId: 'x', fuelCurrent: 1 }, 'vehicleId'],
        [VehicleSubjects.spawn, { templateId: 'sedan', position: { x: 0, y: 0, z: 0 } }, 'rotation'],
        [VehicleSubjects.lock, { vehicleId: v.id, keyCode: '' }, 'keyCode'],
        [VehicleSubjects.decay, { now: 'yesterday' }, 'now'],
      ] as const) {
        await assert.rejects(bus.request(subject, payload, callerOf(subject)), (error: AppError) => {
          assert.equal(error.code, 'VALIDATION_FAILED', subject);
          assert.deepEqual(
            (error.details as { fields: { field: string }[] }).fields.map((f) => f.field),
            [field],
          );
          return true;
        });
      }
      await assert.rejects(
        bus.request(VehicleSubjects.decay, { now: new Date().toISOString() }, asServer),
        (error: AppError) => error.code === 'FORBIDDEN',
      );
      await assert.rejects(
        bus.request(
          VehicleSubjects.update,
          { vehicleId: v.id, fuelCurrent: 1 },
          { principal: { kind: 'anonymous' } },
        ),
        (error: AppError) => error.code === 'UNAUTHENTICATED',
      );
      assert.equal(await checksum(), before);
    } finally {
      await bus.close();
    }
  });
});
