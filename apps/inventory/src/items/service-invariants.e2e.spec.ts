/**
 * The inventory service as a real process, spoken to over NATS as a game server would:
 * - crash points: the process is SIGKILLed again and again in the middle of a stream of moves,
 *   each with an Idempotency-Key; every unacknowledged move is retried with its key until it is;
 *   each move must land exactly once and a retry must answer what the first attempt stored;
 * - conservation: thousands of random concurrent moves, splits and merges over 8 containers.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { BusClient } from '@trustno1/bus';
import {
  AppError,
  ErrorCode,
  InventorySubjects,
  type InventorySummaryView,
  type ItemView,
  type MoveItemView,
  type Principal,
} from '@trustno1/contracts';
import { stateAndReplay, totalsByTemplate, violations } from '@trustno1/inventory-domain';
import { factories, startApp, startCluster, type RunningApp, type TestCluster } from '@trustno1/testing';

const CONTAINERS = 8;
const CRASH_ITEMS = 24;
const CRASH_STEPS = 16;
const KILLS_AT_LEAST = 5;
const FUZZ_OPERATIONS = Number(process.env.INVENTORY_SERVICE_FUZZ_OPERATIONS ?? 3_000);
const FUZZ_WORKERS = 8;
/** Refusals a random move may meet; anything else (a 5xx, UNAVAILABLE) fails the test. */
const EXPECTED = new Set([
  'SLOT_OCCUPIED',
  'OUT_OF_BOUNDS',
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'OVER_WEIGHT',
  // Another worker moved the item between this request's read and its lock (ITEM_MOVED).
  'CONFLICT',
]);

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];
const int = (n: number) => Math.floor(Math.random() * n);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('inventory service under crashes and concurrency (NATS, real process)', () => {
  let cluster: TestCluster;
  let bus: BusClient;
  let server: Principal;
  let current: RunningApp;
  const restarted: RunningApp[] = [];

  const request = <T>(subject: string, payload: unknown, idempotencyKey?: string, timeoutMs = 5_000) =>
    bus.request<T>(subject, payload, { principal: server, idempotencyKey, timeoutMs });

  async function containers(count: number, size: { gridWidth: number; gridHeight: number }) {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const inv = await request<InventorySummaryView>(InventorySubjects.createInventory, {
          ownerId: crypto.randomUUID(),
          ownerType: 'container',
          ...size,
          maxWeight: 500,
        });
        return inv.id;
      }),
    );
  }

  beforeAll(async () => {
    cluster = await startCluster(['inventory']);
    current = cluster.app('inventory');
    bus = new BusClient({ ...cluster.bus, serviceName: 'inventory-invariants' });
    const game = await factories(cluster.pool).gameServer();
    server = { kind: 'server', serverId: game.id, region: game.region };
  });

  afterAll(async () => {
    await bus?.close();
    await Promise.all(restarted.map((app) => app.kill()));
    await cluster?.stop();
  });

  it(`applies every move exactly once while the service is killed ≥${KILLS_AT_LEAST} times mid-stream`, async () => {
    const boxes = await containers(CONTAINERS, { gridWidth: 8, gridHeight: 8 });
    // Item j lives in cell (j % 8, j / 8) of whichever box holds it, so plans never collide.
    const items: ItemView[] = [];
    for (let j = 0; j < CRASH_ITEMS; j++)
      items.push(
        await request<ItemView>(InventorySubjects.addItem, {
          inventoryId: boxes[j % CONTAINERS],
          templateId: 'ammo_9mm',
          quantity: 10,
          gridX: j % 8,
          gridY: Math.floor(j / 8),
          reason: 'test',
        }),
      );
    const totalsBefore = await totalsByTemplate(cluster.pool);
    interface Op {
      key: string;
      body: Record<string, unknown>;
    }
    // Whole moves hopping from box to box (crossing each other), then one split into row 4+.
    const plans: Op[][] = items.map((item, j) => [
      ...Array.from({ length: CRASH_STEPS }, (_, k) => ({
        key: `crash-${j}-${k}`,
        body: {
          itemId: item.id,
          toInventoryId: boxes[(j + k + 1) % CONTAINERS],
          gridX: j % 8,
          gridY: Math.floor(j / 8),
        },
      })),
      {
        key: `crash-${j}-split`,
        body: {
          itemId: item.id,
          toInventoryId: boxes[(j + CRASH_STEPS) % CONTAINERS],
          gridX: j % 8,
          gridY: 4 + Math.floor(j / 8),
          quantity: 3,
        },
      },
    ]);
    const total = plans.reduce((n, p) => n + p.length, 0);
    const first = new Map<string, MoveItemView>();
    const unexpected: string[] = [];
    let acked = 0;
    let retries = 0;

    // Closed while the service restarts: what was in flight when it died is cut off and retried,
    // and the stream cannot run out while a slow machine boots the next process (every kill counts).
    let gate: Promise<void> = Promise.resolve();
    const lanes = plans.map(async (plan) => {
      for (const op of plan) {
        for (;;) {
          await gate;
          try {
            first.set(
              op.key,
              await request<MoveItemView>(InventorySubjects.moveItem, op.body, op.key, 3_000),
            );
            acked++;
            break;
          } catch (error) {
            if (!(error instanceof AppError) || error.code !== ErrorCode.UNAVAILABLE) {
              unexpected.push(`${op.key}: ${String(error)}`);
              return;
            }
            retries++;
            await pause(50);
          }
        }
      }
    });
    let done = false;
    const streaming = Promise.all(lanes).then(() => (done = true));
    let kills = 0;
    // A few acks after each restart: the new process answers NATS before its health port is
    // live, so most of the stream runs between kills; stop killing after twice the minimum.
    const killEvery = 15;
    while (!done && kills < KILLS_AT_LEAST * 2) {
      const mark = acked;
      while (!done && acked - mark < killEvery) await pause(20);
      if (done) break;
      let open = () => {};
      gate = new Promise<void>((resolve) => (open = resolve));
      await current.kill();
      kills++;
      try {
        current = await startApp('inventory', cluster.env);
        restarted.push(current);
      } finally {
        open();
      }
    }
    await streaming;
    process.stdout.write(`# crash points: ${total} moves, ${kills} kills, ${retries} retried attempts\n`);

    assert.deepEqual(unexpected, []);
    assert.ok(kills >= KILLS_AT_LEAST, `${kills} kills`);
    assert.ok(retries > 0, 'some moves were cut off by a kill and retried with their key');
    assert.equal(first.size, total);
    // Exactly once: one move row per planned hop and one split row per item, no more.
    const { rows } = await cluster.pool.query<{ item: string; moves: number; splits: number }>(
      `SELECT i AS item,
              (SELECT count(*)::int FROM item_ledger WHERE item_id = i AND operation = 'move') AS moves,
              (SELECT count(*)::int FROM item_ledger WHERE related_item_id = i AND operation = 'split') AS splits
         FROM unnest($1::uuid[]) AS i`,
      [items.map((i) => i.id)],
    );
    for (const row of rows) assert.deepEqual([row.moves, row.splits], [CRASH_STEPS, 1], row.item);
    for (const [j, item] of items.entries()) {
      const { rows: at } = await cluster.pool.query(
        `SELECT inventory_id, grid_x, grid_y, quantity FROM inventory_items WHERE id = $1`,
        [item.id],
      );
      assert.deepEqual(at[0], {
        inventory_id: boxes[(j + CRASH_STEPS) % CONTAINERS],
        grid_x: j % 8,
        grid_y: Math.floor(j / 8),
        quantity: 7,
      });
    }
    assert.deepEqual(await totalsByTemplate(cluster.pool), totalsBefore);
    assert.deepEqual(await violations(cluster.pool), { overlaps: 0, badStacks: 0, outside: 0 });
    const { state, replay } = await stateAndReplay(cluster.pool);
    assert.deepEqual(replay, state);
    // A retry now, with the same key and body, answers exactly what the first success stored. One
    // lane per item as in the stream: all 408 at once only wait for the service's 4 connections,
    // longer than the pool's 3 s when another spec file boots its apps beside this one.
    const again = (
      await Promise.all(
        plans.map(async (plan) => {
          const replies: (readonly [string, MoveItemView])[] = [];
          for (const op of plan)
            replies.push([op.key, await request<MoveItemView>(InventorySubjects.moveItem, op.body, op.key)]);
          return replies;
        }),
      )
    ).flat();
    for (const [key, reply] of again) assert.deepEqual(reply, first.get(key), key);
    const ledgerAfter = await cluster.pool.query(`SELECT count(*)::int AS n FROM item_ledger`);
    assert.equal(
      ledgerAfter.rows[0].n,
      CRASH_ITEMS * (CRASH_STEPS + 2),
      'creates + moves + splits, and nothing from the replays',
    );
  });

  it(`keeps every unit through ${FUZZ_OPERATIONS} random concurrent moves, splits and merges`, async () => {
    const boxes = await containers(CONTAINERS, { gridWidth: 8, gridHeight: 6 });
    const known = new Map<string, { inventoryId: string; gridX: number; gridY: number }>();
    const stock = [
      { templateId: 'ammo_9mm', quantity: 40, count: 5 },
      { templateId: 'wood', quantity: 200, count: 3 },
      { templateId: 'bandage', quantity: 3, count: 3 },
      { templateId: 'rifle_ak', quantity: 1, count: 1 },
      { templateId: 'helmet_metal', quantity: 1, count: 1 },
    ];
    for (const inventoryId of boxes)
      for (const s of stock)
        for (let i = 0; i < s.count; i++) {
          const item = await request<ItemView>(InventorySubjects.addItem, {
            inventoryId,
            templateId: s.templateId,
            quantity: s.quantity,
            reason: 'test',
          });
          known.set(item.id, { inventoryId, gridX: item.gridX, gridY: item.gridY });
        }
    const totalsBefore = await totalsByTemplate(cluster.pool);

    const remember = (result: MoveItemView, itemId: string) => {
      known.set(result.item.id, {
        inventoryId: result.item.inventoryId ?? '',
        gridX: result.item.gridX,
        gridY: result.item.gridY,
      });
      if (result.operation === 'merged' && result.source === null) known.delete(itemId);
      return result.operation;
    };
    async function randomMove(): Promise<string> {
      const itemId = pick([...known.keys()]);
      const quantity = Math.random() < 0.5 ? undefined : 1 + int(12);
      // 40 %: onto another stack's cell (a merge when the templates agree), else anywhere.
      const target =
        Math.random() < 0.4
          ? known.get(pick([...known.keys()]))!
          : { inventoryId: pick(boxes), gridX: int(9), gridY: int(7) };
      try {
        const result = await request<MoveItemView>(InventorySubjects.moveItem, {
          itemId,
          toInventoryId: target.inventoryId,
          gridX: target.gridX,
          gridY: target.gridY,
          ...(quantity === undefined ? {} : { quantity }),
        });
        return remember(result, itemId);
      } catch (error) {
        const code = error instanceof AppError ? error.code : 'UNKNOWN';
        if (code === ErrorCode.NOT_FOUND) known.delete(itemId);
        return code;
      }
    }

    const outcomes: Record<string, number> = {};
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: FUZZ_WORKERS }, async () => {
        while (next++ < FUZZ_OPERATIONS) {
          const outcome = await randomMove();
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        }
      }),
    );
    process.stdout.write(
      `# service conservation: ${FUZZ_OPERATIONS} ops in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(outcomes)}\n`,
    );
    for (const outcome of Object.keys(outcomes))
      assert.ok(
        ['moved', 'split', 'merged'].includes(outcome) || EXPECTED.has(outcome),
        `unexpected ${outcome}`,
      );
    for (const operation of ['moved', 'split', 'merged'])
      assert.ok((outcomes[operation] ?? 0) > 30, operation);
    assert.deepEqual(await totalsByTemplate(cluster.pool), totalsBefore);
    assert.deepEqual(await violations(cluster.pool), { overlaps: 0, badStacks: 0, outside: 0 });
    const { state, replay } = await stateAndReplay(cluster.pool);
    assert.deepEqual(replay, state);
    const { rows } = await cluster.pool.query(
      `SELECT count(*)::int AS n FROM inventories WHERE max_weight IS NOT NULL AND inventory_weight(id) > max_weight + 1e-9`,
    );
    assert.equal(rows[0].n, 0);
  });
});
