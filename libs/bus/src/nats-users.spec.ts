import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import {
  AccountsOps,
  CombatOps,
  FactionsOps,
  InventoryOps,
  MarketOps,
  operationsOf,
  SERVICES,
  WorldOps,
} from '@trustno1/contracts';
import { GAME_SERVER_INBOX_PREFIX, NATS_USERS, natsPermissions, renderNatsAuthorization } from './nats-users';

const OPERATIONS = operationsOf(AccountsOps, InventoryOps, WorldOps, CombatOps, MarketOps, FactionsOps);

describe('NATS users and permissions', () => {
  it('a game server may publish exactly the requests a server principal may call', () => {
    const allowed = natsPermissions('game_server', OPERATIONS)?.publish ?? [];
    const expected = OPERATIONS.filter((op) => op.principals.includes('server')).map((op) => op.subject);
    assert.deepEqual([...allowed].sort(), [...new Set(expected)].sort());
    assert.ok(expected.length > 30, 'the server operations were found');
    for (const op of OPERATIONS.filter((o) => !o.principals.includes('server'))) {
      assert.ok(!allowed.includes(op.subject), `${op.subject} is not a server's to call`);
    }
  });

  it('a game server subscribes only to its own inbox prefix, and no list holds a bare wildcard', () => {
    assert.deepEqual(natsPermissions('game_server', OPERATIONS)?.subscribe, [
      `${GAME_SERVER_INBOX_PREFIX}.>`,
    ]);
    for (const user of NATS_USERS) {
      const p = natsPermissions(user, OPERATIONS);
      if (!p) continue;
      for (const subject of [...p.publish, ...p.subscribe]) {
        assert.notEqual(subject, '>', user);
        assert.ok(!subject.startsWith('*'), `${user}: ${subject}`);
      }
    }
  });

  it('each service subscribes to its own domain only; only the worker publishes events', () => {
    for (const service of SERVICES) {
      const p = natsPermissions(service, OPERATIONS);
      assert.deepEqual(p?.subscribe, [`${service}.>`, '_INBOX.>']);
      assert.ok(p?.allowResponses);
      assert.ok(!p?.publish.includes('evt.>'));
    }
    assert.ok(natsPermissions('worker', OPERATIONS)?.publish.includes('evt.>'));
    assert.ok(!natsPermissions('gateway', OPERATIONS)?.publish.includes('evt.>'));
    assert.equal(natsPermissions('ops', OPERATIONS), undefined);
  });

  it('renders every user with a password from the environment, prefixed variants only on request', () => {
    const text = renderNatsAuthorization(OPERATIONS);
    for (const user of NATS_USERS) {
      assert.match(
        text,
        new RegExp(`user: "${user}"\\n\\s+password: \\$TN1_NATS_PASSWORD_${user.toUpperCase()}\\n`),
      );
    }
    assert.ok(!text.includes('"*.'));
    const prefixed = renderNatsAuthorization(OPERATIONS, { prefixed: true });
    assert.ok(prefixed.includes('"*.inventory.item.move.v1"'));
    assert.ok(!prefixed.includes('"*._INBOX'));
    assert.ok(!prefixed.includes('"*.$JS'));
  });
});
