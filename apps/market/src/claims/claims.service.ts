import { Injectable } from '@nestjs/common';
import type { ClaimView, CollectClaimRequest, Principal } from '@trustno1/contracts';
import {
  checkIdempotencyKey,
  mapProcedureErrors,
  prismaStatement,
  PrismaClient,
  type IdempotencyClaim,
} from '@trustno1/db';
import { ClaimsRepository } from './claims.repository';

@Injectable()
export class ClaimsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly repository: ClaimsRepository,
  ) {}

  list(principal: Principal, playerId: string): Promise<ClaimView[]> {
    return mapProcedureErrors(() =>
      prismaStatement(() => this.repository.list(this.prisma, principal, playerId)),
    );
  }

  collect(
    principal: Principal,
    req: CollectClaimRequest,
    claim: IdempotencyClaim | undefined,
  ): Promise<ClaimView> {
    if (claim) checkIdempotencyKey(claim);
    return mapProcedureErrors(() =>
      prismaStatement(() => this.repository.collect(this.prisma, principal, claim, req)),
    );
  }
}
