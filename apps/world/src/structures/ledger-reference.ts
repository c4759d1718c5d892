import { principalKey, type Principal } from '@trustno1/contracts';

/** Who did it, kept in the item ledger's reference column when storage items move. */
export function referenceOf(principal: Principal): string {
  return principalKey(principal).slice(0, 255);
}
