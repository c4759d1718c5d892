import { Injectable } from '@nestjs/common';
import type {
  CreateListingRequest,
  ExpireListingsView,
  ListingView,
  Principal,
  PurchaseListingRequest,
  PurchaseView,
  SearchListingsRequest,
} from '@trustno1/contracts';
import type { IdempotencyClaim, PrismaDb } from '@trustno1/db';

/** A page of market.search_listings: the listings and the keyset of the next page. */
export interface ListingsPage {
  listings: ListingView[];
  next: { price: number; id: string } | null;
}

/** The market's rules a listing or purchase is made under (its settings). */
export interface ListingRules {
  feePercent: number;
  maxListings: number;
}

/** The only place of the feature that speaks SQL: one call of the owner's function per operation. */
@Injectable()
export class ListingsRepository {
  /** market.create_listing: idempotency, access, the seller's limit, the fee, the escrow, the row. */
  async create(
    db: PrismaDb,
    principal: Principal,
    claim: IdempotencyClaim | undefined,
    r: CreateListingRequest,
    rules: ListingRules,
  ): Promise<ListingView> {
    const [row] = await db.$queryRaw<{ result: ListingView }[]>`
      SELECT market.create_listing(${JSON.stringify(principal)}::jsonb, ${claim?.key ?? null},
             ${claim?.requestHash ?? null}, ${r.sellerId}::uuid, ${r.itemId}::uuid, ${r.quantity}::int,
             ${r.pricePerUnit}::bigint, ${r.currency}, ${r.locationType}, ${r.locationId ?? null}::uuid,
             ${r.expiresInHours}::int, ${rules.feePercent}::numeric, ${rules.maxListings}::int) AS result`;
    return row.result;
  }

  async search(
    db: PrismaDb,
    r: SearchListingsRequest,
    limit: number,
    after: { price: number; id: string } | null,
  ): Promise<ListingsPage> {
    const [row] = await db.$queryRaw<{ result: ListingsPage }[]>`
      SELECT market.search_listings(${r.itemTemplateId ?? null}, ${r.currency ?? null}, ${r.locationType ?? null},
             ${r.locationId ?? null}::uuid, ${r.maxPrice ?? null}::bigint, ${r.sellerId ?? null}::uuid,
             ${limit}::int, ${after?.price ?? null}::bigint, ${after?.id ?? null}::uuid) AS result`;
    return row.result;
  }

  /** market.purchase_listing: the whole purchase in one call. */
  async purchase(
    db: PrismaDb,
    principal: Principal,
    claim: IdempotencyClaim | undefined,
    r: PurchaseListingRequest,
    taxPercent: number,
  ): Promise<PurchaseView> {
    const [row] = await db.$queryRaw<{ result: PurchaseView }[]>`
      SELECT market.purchase_listing(${JSON.stringify(principal)}::jsonb, ${claim?.key ?? null},
             ${claim?.requestHash ?? null}, ${r.listingId}::uuid, ${r.buyerId}::uuid, ${r.quantity}::int,
             ${r.toInventoryId ?? null}::uuid, ${taxPercent}::numeric) AS result`;
    return row.result;
  }

  async cancel(db: PrismaDb, principal: Principal, listingId: string): Promise<void> {
    await db.$queryRaw`SELECT market.cancel_listing(${JSON.stringify(principal)}::jsonb, ${listingId}::uuid)::text AS result`;
  }

  async expire(db: PrismaDb, now: Date, limit: number): Promise<ExpireListingsView> {
    const [row] = await db.$queryRaw<{ result: ExpireListingsView }[]>`
      SELECT market.expire_listings(${now}::timestamptz, ${limit}::int) AS result`;
    return row.result;
  }
}
