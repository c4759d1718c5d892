import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { SeasonsOps } from '@trustno1/contracts';
import type { StatusRepository } from './status.repository';
import { StatusService, statusView } from './status.service';

const row = {
  service: 'seasons',
  schema_name: 'seasons',
  functions: 1,
  database_time: new Date('2026-01-02T03:04:05.000Z'),
};

describe('seasons status', () => {
  it("shows the SQL function's row as the operation's reply", () => {
    const view = statusView(row);
    assert.deepEqual(view, {
      service: 'seasons',
      schema: 'seasons',
      functions: 1,
      databaseTime: '2026-01-02T03:04:05.000Z',
    });
    assert.ok(SeasonsOps.getStatus.reply.safeParse(view).success);
  });

  it('reads through the repository', async () => {
    const repository = { read: async () => row } as unknown as StatusRepository;
    assert.equal((await new StatusService(repository).get()).service, 'seasons');
  });

  it('admits servers and admins only, and takes no query fields', () => {
    assert.deepEqual([...SeasonsOps.getStatus.principals], ['server', 'admin']);
    assert.equal(SeasonsOps.getStatus.request.safeParse({ extra: 1 }).success, false);
  });
});
