import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { FactionsOps } from '@trustno1/contracts';
import type { StatusRepository } from './status.repository';
import { StatusService, statusView } from './status.service';

const row = {
  service: 'factions',
  schema_name: 'factions',
  functions: 1,
  database_time: new Date('2026-01-02T03:04:05.000Z'),
};

describe('factions status', () => {
  it("shows the SQL function's row as the operation's reply", () => {
    const view = statusView(row);
    assert.deepEqual(view, {
      service: 'factions',
      schema: 'factions',
      functions: 1,
      databaseTime: '2026-01-02T03:04:05.000Z',
    });
    assert.ok(FactionsOps.getStatus.reply.safeParse(view).success);
  });

  it('reads through the repository', async () => {
    const repository = { read: async () => row } as unknown as StatusRepository;
    assert.equal((await new StatusService(repository).get()).service, 'factions');
  });

  it('admits servers and admins only, and takes no query fields', () => {
    assert.deepEqual([...FactionsOps.getStatus.principals], ['server', 'admin']);
    assert.equal(FactionsOps.getStatus.request.safeParse({ extra: 1 }).success, false);
  });
});
