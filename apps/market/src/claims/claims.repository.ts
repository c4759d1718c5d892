import { Injectable } from '@nestjs/common';
import type { ClaimView, CollectClaimRequest, Principal } from '@trustno1/contracts';
import type { IdempotencyClaim, PrismaDb } from '@trustno1/db';

/** The only place of the feature that speaks SQL: one call of the owner's function per operation. */
@Injectable()
export class ClaimsRepository {
  async list(db: PrismaDb, principal: Principal, playerId: string): Promise<ClaimView[]> {
    const [row] = await db.$queryRaw<{ result: ClaimView[] }[]>`
      SELECT market.list_claims(${JSON.stringify(principal)}::jsonb, ${playerId}::uuid) AS result`;
    return row.result;
  }

  /** market.collect_claim: idempotency, access, the claim's lock and the move through a ledger. */
  async collect(
    db: PrismaDb,
    principal: Principal,
    claim: IdempotencyClaim | undefined,
    r: CollectClaimRequest,
  ): Promise<ClaimView> {
    const [row] = await db.$queryRaw<{ result: ClaimView }[]>`
      SELECT market.collect_claim(${JSON.stringify(principal)}::jsonb, ${claim?.key ?? null},
             ${claim?.requestHash ?? null}, ${r.playerId}::uuid, ${r.claimId}::uuid,
             ${r.toInventoryId ?? null}::uuid) AS result`;
    return row.result;
  }
}
