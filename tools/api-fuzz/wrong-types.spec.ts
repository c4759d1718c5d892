/**
 * The wrong-type variations `npm run api:fuzz` adds to Portman's collection, on the gateway's real
 * OpenAPI document and requests shaped as Portman writes them: one per field, of another JSON type,
 * the rest of the request intact, and named so the judge demands a 4xx for each.
 */
import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { addOperationsTo } from '../../apps/gateway/src/operations/openapi';
import { GATEWAY_OPERATIONS } from '../../apps/gateway/src/operations/operations.module';
import { checkRun, type NewmanExecution } from './check';
import {
  addWrongTypeVariations,
  wrongBodyValue,
  wrongQueryValue,
  unrefusedWrongTypes,
  wrongTypeVariations,
  type CollectionItem,
} from './wrong-types';

function documentOfContracts(): Record<string, unknown> {
  const document = { openapi: '3.1.0', paths: {} as Record<string, Record<string, unknown>> };
  addOperationsTo(document, GATEWAY_OPERATIONS);
  return document;
}

/** A request as Portman generates it (`:id` path segments, a raw JSON body, disabled query entries). */
function request(
  name: string,
  method: string,
  path: string,
  options: { body?: unknown; query?: Array<{ key: string; value: string; disabled?: boolean }> } = {},
): CollectionItem {
  return {
    id: `id-${name}`,
    name,
    request: {
      name,
      method,
      url: { path: path.split('/'), query: options.query ?? [] },
      ...(options.body === undefined
        ? {}
        : { body: { mode: 'raw', raw: JSON.stringify(options.body, null, 2) } }),
    },
    event: [{ listen: 'test', script: { id: `script-${name}`, exec: ['// success tests'] } }],
  };
}

const STATUS = { players: 3, maxPlayers: 100, tickRate: 30, version: '1.0.0' };
const ITEM = { templateId: 'wood', quantity: 2, reason: 'loot', gridX: 0, gridY: 0 };

function collection(): CollectionItem[] {
  const portmanVariation = request('Status[Fuzz][required players]', 'PUT', 'v1/servers/me/status', {
    body: { maxPlayers: 100, tickRate: 30, version: '1.0.0' },
  });
  portmanVariation.event = [{ listen: 'test', script: { id: 'portman-400', exec: ['// 400 tests'] } }];
  return [
    {
      name: 'servers',
      item: [
        request('Status', 'PUT', 'v1/servers/me/status', { body: STATUS }),
        request('Lock', 'PUT', 'v1/inventories/:id/lock', { body: { locked: true, lockCode: 'ab12' } }),
        request('Corpse', 'POST', 'v1/players/:id/corpse', { body: { position: { x: 1, y: 2, z: 3 } } }),
        request('States', 'PUT', 'v1/players/states', { body: { states: [] } }),
        request('Add item', 'POST', 'v1/inventories/:id/items', { body: ITEM }),
        request('Repair', 'POST', 'v1/structures/:id/repair', { body: { amount: 5 } }),
        request('Events', 'GET', 'v1/events', { query: [{ key: 'active', value: 'true', disabled: true }] }),
        request('Destroy', 'DELETE', 'v1/items/:id', {
          query: [
            { key: 'quantity', value: '1', disabled: true },
            { key: 'reason', value: 'x', disabled: true },
          ],
        }),
      ],
    },
    { name: 'Variation Tests', item: [portmanVariation] },
  ];
}

const bodyOf = (item: CollectionItem) => JSON.parse(item.request!.body!.raw!) as Record<string, unknown>;
const named = (items: CollectionItem[], suffix: string) => {
  const found = items.find((item) => item.name.endsWith(suffix));
  assert.ok(found, `no variation named …${suffix} in ${items.map((i) => i.name).join(', ')}`);
  return found;
};

describe('api-fuzz wrong-type variations', () => {
  const document = documentOfContracts();

  it('maps each JSON type to a value of another type, and skips a schema that takes any', () => {
    assert.deepEqual(wrongBodyValue({ type: 'string' }), { value: 123 });
    assert.deepEqual(wrongBodyValue({ type: 'integer' }), { value: 'not-a-number' });
    assert.deepEqual(wrongBodyValue({ type: 'number' }), { value: 'not-a-number' });
    assert.deepEqual(wrongBodyValue({ type: 'boolean' }), { value: 'yes' });
    assert.deepEqual(wrongBodyValue({ type: 'array' }), { value: {} });
    assert.deepEqual(wrongBodyValue({ type: 'object' }), { value: 'x' });
    assert.deepEqual(wrongBodyValue({ type: 'string', enum: ['a', 'b'] }), { value: 123 });
    assert.deepEqual(wrongBodyValue({ anyOf: [{ type: 'string' }, { type: 'number' }] }), { value: true });
    assert.deepEqual(wrongBodyValue({ type: ['integer', 'null'] }), { value: 'not-a-number' });
    assert.equal(wrongBodyValue({}), undefined);
    assert.equal(wrongBodyValue({ anyOf: [{ type: 'string' }, {}] }), undefined);
    assert.equal(wrongQueryValue({ type: 'integer' }), 'not-a-number');
    assert.equal(wrongQueryValue({ type: 'boolean' }), 'yes');
    assert.equal(wrongQueryValue({ type: 'string', enum: ['true', 'false'] }), 'yes');
    assert.equal(wrongQueryValue({ type: 'string', enum: ['yes', 'no'] }), 'not-a-number');
    assert.equal(wrongQueryValue({ type: 'string', pattern: '^[0-9]{1,10}$' }), 'not-a-number');
    assert.equal(wrongQueryValue({ type: 'string', pattern: '^[a-z0-9_.:-]{1,32}$' }), undefined);
    assert.equal(wrongQueryValue({ type: 'string' }), undefined);
  });

  it('adds one variation per top-level body field with the wrong type, the other fields intact', () => {
    const variations = wrongTypeVariations(document, collection());
    const status = variations.filter((v) => v.request!.url.path!.join('/') === 'v1/servers/me/status');
    assert.deepEqual(
      status.map((v) => v.name),
      ['players', 'maxPlayers', 'tickRate', 'version'].map((f) => `Status[Fuzz][wrong type ${f}]`),
    );
    const wrong: Record<string, unknown> = {
      players: 'not-a-number',
      maxPlayers: 'not-a-number',
      tickRate: 'not-a-number',
      version: 123,
    };
    for (const [field, value] of Object.entries(wrong)) {
      const variation = named(status, `[wrong type ${field}]`);
      assert.deepEqual(bodyOf(variation), { ...STATUS, [field]: value });
      assert.equal(variation.request!.name, variation.name);
      assert.equal(variation.request!.method, 'PUT');
      assert.equal(variation.id, undefined, 'a copy must not reuse the request id');
    }
    assert.deepEqual(bodyOf(named(variations, 'Lock[Fuzz][wrong type locked]')), {
      locked: 'yes',
      lockCode: 'ab12',
    });
    assert.deepEqual(bodyOf(named(variations, 'Corpse[Fuzz][wrong type position]')), { position: 'x' });
    assert.deepEqual(bodyOf(named(variations, 'States[Fuzz][wrong type states]')), { states: {} });
    assert.deepEqual(bodyOf(named(variations, 'Add item[Fuzz][wrong type quantity]')), {
      ...ITEM,
      quantity: 'not-a-number',
    });
    // The source request is left as it was.
    assert.deepEqual(bodyOf(collection()[0].item![0]), STATUS);
  });

  it('varies number, boolean and enum query parameters, not free strings', () => {
    const variations = wrongTypeVariations(document, collection());
    const events = named(variations, 'Events[Fuzz][wrong type query active]');
    assert.deepEqual(events.request!.url.query, [{ key: 'active', value: 'yes' }]);
    const destroy = variations.filter((v) => v.name.startsWith('Destroy'));
    assert.deepEqual(
      destroy.map((v) => v.name),
      ['Destroy[Fuzz][wrong type query quantity]'],
    );
    assert.deepEqual(destroy[0].request!.url.query, [
      { key: 'reason', value: 'x', disabled: true },
      { key: 'quantity', value: 'not-a-number' },
    ]);
  });

  it('caps the variations per operation, required fields first', () => {
    const variations = wrongTypeVariations(document, collection(), { perOperation: 2 });
    const items = variations.filter((v) => v.name.startsWith('Add item'));
    assert.equal(items.length, 2);
    type Body = { schema: { required: string[]; properties: Record<string, unknown> } };
    const paths = document.paths as Record<
      string,
      Record<string, { requestBody: { content: Record<string, Body> } }>
    >;
    const body = paths['/v1/inventories/{id}/items'].post.requestBody.content['application/json'].schema;
    assert.ok(Object.keys(body.properties).length > 2);
    for (const item of items) {
      const field = /\[wrong type (\w+)\]$/.exec(item.name)![1];
      assert.ok(body.required.includes(field), `${field} is not required`);
    }
    assert.ok(
      wrongTypeVariations(document, collection()).filter((v) => v.name.startsWith('Add item')).length > 2,
    );
  });

  it('takes the assertions of Portman’s variation of the operation, not the success ones', () => {
    const variations = wrongTypeVariations(document, collection());
    const status = named(variations, 'Status[Fuzz][wrong type players]');
    assert.deepEqual(status.event, [{ listen: 'test', script: { exec: ['// 400 tests'] } }]);
    // No Portman variation for the lock: no assertions rather than the success ones.
    assert.equal(named(variations, 'Lock[Fuzz][wrong type locked]').event, undefined);
  });

  it('appends them in a folder of their own and skips a request whose body is not JSON', () => {
    const items = collection();
    (items[0].item![0].request!.body as { raw: string }).raw = '{{not json}}';
    const target = { item: items };
    const added = addWrongTypeVariations(target, document);
    assert.equal(target.item.length, 3);
    const folder = target.item[2];
    assert.equal(folder.name, 'Wrong Type Tests');
    assert.equal(folder.item!.length, added);
    assert.ok(!folder.item!.some((v) => v.name.startsWith('Status')));
    assert.ok(folder.item!.some((v) => v.name.startsWith('Lock')));
  });

  it('gives a well-formed UUID to a path parameter Portman filled with a urn:uuid example', () => {
    const items = collection();
    const repair = items[0].item!.find((item) => item.name === 'Repair')!;
    repair.request!.url.variable = [{ key: 'id', value: 'urn:uuid:e568fec1-814a-4ef3-a44a-d5511acead57' }];
    const lock = items[0].item!.find((item) => item.name === 'Lock')!;
    lock.request!.url.variable = [{ key: 'id', value: '{{inventoryId}}' }];
    const variations = wrongTypeVariations(document, items);
    const id = named(variations, 'Repair[Fuzz][wrong type amount]').request!.url.variable![0].value;
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Not a UUID either, but replaced by the seeded row later: only Portman's examples are touched.
    assert.equal(named(variations, 'Lock[Fuzz][wrong type locked]').request!.url.variable![0].value, id);
    assert.equal(repair.request!.url.variable[0].value, 'urn:uuid:e568fec1-814a-4ef3-a44a-d5511acead57');
  });

  it('is judged as a fuzzed variation: refused with 400 passes, accepted fails', () => {
    const variation = named(wrongTypeVariations(document, collection()), 'Status[Fuzz][wrong type players]');
    const execution = (code: number, body: unknown): NewmanExecution => ({
      item: { name: variation.name },
      request: { method: variation.request!.method, url: { path: variation.request!.url.path } },
      response: {
        code,
        header: [{ key: 'content-type', value: 'application/json; charset=utf-8' }],
        stream: body === undefined ? '' : JSON.stringify(body),
      },
      assertions: [],
    });
    const refused = checkRun(document, [
      execution(400, {
        error: { code: 'VALIDATION_FAILED', message: 'players: expected number', requestId: 'r1' },
      }),
    ]);
    assert.equal(refused.variations, 1);
    assert.deepEqual(refused.failures, []);

    const accepted = checkRun(document, [execution(204, undefined)]);
    assert.equal(accepted.variations, 1);
    assert.deepEqual(
      accepted.failures.map((f) => `${f.route} [${f.status}] ${f.problem}`),
      ['PUT /v1/servers/me/status [204] a fuzzed request was accepted with 204, not refused with a 4xx'],
    );
    const answered200 = checkRun(document, [execution(200, {})]);
    assert.ok(
      answered200.failures.some((f) => f.status === 200 && /a fuzzed request was accepted/.test(f.problem)),
      JSON.stringify(answered200.failures),
    );
  });

  it('demands that validation refuses the field when the run may call the operation', () => {
    const variation = named(wrongTypeVariations(document, collection()), 'Status[Fuzz][wrong type players]');
    const execution = (name: string, code: number, errorCode: string, fields: string[]): NewmanExecution => ({
      item: { name },
      request: { method: 'PUT', url: { path: ['v1', 'servers', 'me', 'status'] } },
      response: {
        code,
        header: [{ key: 'content-type', value: 'application/json' }],
        stream: JSON.stringify({
          error: {
            code: errorCode,
            message: 'x',
            details: { fields: fields.map((field) => ({ field, message: 'bad' })) },
            requestId: 'r',
          },
        }),
      },
    });
    const refused = execution(variation.name, 400, 'VALIDATION_FAILED', ['players']);
    const forbidden = execution(variation.name, 403, 'FORBIDDEN', []);
    const otherField = execution(variation.name, 400, 'VALIDATION_FAILED', ['id']);
    const portmans = execution('Status[Fuzz][required players]', 403, 'FORBIDDEN', []);
    assert.deepEqual(unrefusedWrongTypes(document, [refused, portmans], 'server'), []);
    const failures = unrefusedWrongTypes(document, [forbidden, otherField], 'server');
    assert.deepEqual(
      failures.map((f) => `${f.route} [${f.status}] ${f.problem}`),
      [
        'PUT /v1/servers/me/status [403] the wrong-type players was not refused with 400 VALIDATION_FAILED naming it (FORBIDDEN, fields: none)',
        'PUT /v1/servers/me/status [400] the wrong-type players was not refused with 400 VALIDATION_FAILED naming it (VALIDATION_FAILED, fields: id)',
      ],
    );
    // A player may not call it: its 403 is the right answer.
    assert.deepEqual(unrefusedWrongTypes(document, [forbidden], 'player'), []);
  });
});
