import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { inventoryErrorOf } from './errors';

describe('inventoryErrorOf', () => {
  it('reads the code and JSON details of a procedure error', () => {
    const error = { code: 'P0001', message: 'SLOT_OCCUPIED', detail: '{"occupiedBy":"x","gridX":1}' };
    assert.deepEqual(inventoryErrorOf(error), {
      code: 'SLOT_OCCUPIED',
      details: { occupiedBy: 'x', gridX: 1 },
    });
  });

  it('maps constraint violations of writers that bypass the procedures', () => {
    const overlap = { code: '23P01', constraint: 'inventory_items_no_overlap_excl' };
    assert.deepEqual(inventoryErrorOf(overlap), {
      code: 'SLOT_OCCUPIED',
      details: { constraint: 'inventory_items_no_overlap_excl' },
    });
    assert.equal(inventoryErrorOf({ code: '23514' })?.code, 'VALIDATION_FAILED');
  });

  it('leaves deadlocks, unknown raises and non-errors alone', () => {
    assert.equal(inventoryErrorOf({ code: '40P01' }), null);
    assert.equal(inventoryErrorOf({ code: 'P0001', message: 'something else' }), null);
    assert.equal(inventoryErrorOf(undefined), null);
    assert.deepEqual(
      inventoryErrorOf({ code: 'P0001', message: 'NOT_FOUND', detail: 'not json' })?.details,
      {},
    );
  });
});
