import { Inject, Injectable } from '@nestjs/common';
import type {
  CreateListingRequest,
  ExpireListingsView,
  ListingsPageView,
  ListingView,
  Principal,
  PurchaseListingRequest,
  PurchaseView,
  SearchListingsRequest,
} from '@trustno1/contracts';
import {
  checkIdempotencyKey,
  invalidField,
  mapProcedureErrors,
  prismaStatement,
  PrismaClient,
  type IdempotencyClaim,
} from '@trustno1/db';
import { MARKET_CONFIG, type MarketConfig } from '../market-config';
import { ListingsRepository } from './listings.repository';

const SEARCH_PAGE_DEFAULT = 50;
const EXPIRE_BATCH_DEFAULT = 200;

@Injectable()
export class ListingsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly repository: ListingsRepository,
    @Inject(MARKET_CONFIG) private readonly config: MarketConfig,
  ) {}

  create(
    principal: Principal,
    req: CreateListingRequest,
    claim: IdempotencyClaim | undefined,
  ): Promise<ListingView> {
    if (claim) checkIdempotencyKey(claim);
    const rules = {
      feePercent: this.config.LISTING_FEE_PERCENT,
      maxListings: this.config.MARKET_MAX_LISTINGS_PER_PLAYER,
    };
    return mapProcedureErrors(() =>
      prismaStatement(() => this.repository.create(this.prisma, principal, claim, req, rules)),
    );
  }

  async search(req: SearchListingsRequest): Promise<ListingsPageView> {
    const after = req.cursor === undefined ? null : decodeListingsCursor(req.cursor);
    const page = await mapProcedureErrors(() =>
      prismaStatement(() =>
        this.repository.search(this.prisma, req, req.limit ?? SEARCH_PAGE_DEFAULT, after),
      ),
    );
    return { listings: page.listings, nextCursor: page.next ? encodeListingsCursor(page.next) : null };
  }

  purchase(
    principal: Principal,
    req: PurchaseListingRequest,
    claim: IdempotencyClaim | undefined,
  ): Promise<PurchaseView> {
    if (claim) checkIdempotencyKey(claim);
    return mapProcedureErrors(() =>
      prismaStatement(() =>
        this.repository.purchase(this.prisma, principal, claim, req, this.config.SALES_TAX_PERCENT),
      ),
    );
  }

  async cancel(principal: Principal, listingId: string): Promise<null> {
    await mapProcedureErrors(() =>
      prismaStatement(() => this.repository.cancel(this.prisma, principal, listingId)),
    );
    return null;
  }

  /** The listing-expiry schedule: one batch of listings whose time passed by `now` (the tick). */
  expire(now: string, limit: number | undefined): Promise<ExpireListingsView> {
    return mapProcedureErrors(() =>
      prismaStatement(() =>
        this.repository.expire(this.prisma, new Date(now), limit ?? EXPIRE_BATCH_DEFAULT),
      ),
    );
  }
}

/** The search cursor: the last listing's price and id, opaque to the caller. */
export function encodeListingsCursor(next: { price: number; id: string }): string {
  return Buffer.from(`${next.price}.${next.id}`, 'utf8').toString('base64url');
}

export function decodeListingsCursor(cursor: string): { price: number; id: string } {
  const match = /^([1-9][0-9]{0,12})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match) throw invalidField('cursor', 'must be a cursor this route returned');
  return { price: Number(match[1]), id: match[2] };
}
