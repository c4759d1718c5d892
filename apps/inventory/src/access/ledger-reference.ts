import { principalKey, type Principal } from '@trustno1/contracts';

/** Who did it, kept in the ledger's reference column for audits. */
export function referenceOf(principal: Principal): string {
  return principalKey(principal).slice(0, 255);
}
