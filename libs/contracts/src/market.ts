/**
 * Market domain contract: subjects, payload schemas, views and error codes of the market
 * service, one definition per operation. Generated with its example operation (the service's
 * status); the domain's own operations join `MarketOps` as its issue lands.
 */
import { z } from 'zod';
import { ErrorCode } from './errors';
import { itemView } from './inventory';
import { defineOperation } from './operation';
import { timestampView } from './world';

/**
 * The codes the market SQL functions raise (raise_error in prisma/sql/market/), each the API error
 * of the same name. With the first code, list this object in OWNER_ERRORS of libs/db's
 * procedure-sources spec; until then a procedure file raising any code fails that spec.
 */
export const MarketErrors = {
  VALIDATION_FAILED: ErrorCode.VALIDATION_FAILED,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  FORBIDDEN: ErrorCode.FORBIDDEN,
  /** A balance would go below zero (nothing changed). */
  INSUFFICIENT_FUNDS: ErrorCode.INSUFFICIENT_FUNDS,
  /** A purchase of more than the listing has left. */
  INSUFFICIENT_QUANTITY: ErrorCode.INSUFFICIENT_QUANTITY,
  /** MARKET_MAX_LISTINGS_PER_PLAYER active listings already. */
  LIMIT_REACHED: ErrorCode.LIMIT_REACHED,
  /** A claim's items do not fit where they were to be collected. */
  SLOT_OCCUPIED: ErrorCode.SLOT_OCCUPIED,
  LISTING_SOLD_OUT: ErrorCode.LISTING_SOLD_OUT,
  LISTING_EXPIRED: ErrorCode.LISTING_EXPIRED,
  LISTING_CANCELLED: ErrorCode.LISTING_CANCELLED,
  /** A seller buying their own listing. */
  OWN_LISTING: ErrorCode.OWN_LISTING,
  /** Direct trades: TRADE_CLOSED, TRADE_TIMED_OUT, PLAYER_LEFT, NOT_ON_THE_SAME_SERVER, OFFER_CHANGED. */
  CONFLICT: ErrorCode.CONFLICT,
  /** Raised by the platform's idempotency_claim (and wallet_move's keys) inside a market operation. */
  IDEMPOTENCY_KEY_REUSED: ErrorCode.IDEMPOTENCY_KEY_REUSED,
} as const satisfies { [K in ErrorCode]?: K };

const { NOT_FOUND, FORBIDDEN, INSUFFICIENT_FUNDS, INSUFFICIENT_QUANTITY, LIMIT_REACHED, SLOT_OCCUPIED } =
  MarketErrors;
const { LISTING_SOLD_OUT, LISTING_EXPIRED, LISTING_CANCELLED, OWN_LISTING, IDEMPOTENCY_KEY_REUSED } =
  MarketErrors;

const uuid = z.uuid({ message: 'must be a UUID' });

/** The seed's `currency_type`. */
export const CURRENCIES = ['scrap', 'hqm', 'credits'] as const;
export type Currency = (typeof CURRENCIES)[number];
export const currencySchema = z.enum(CURRENCIES, { message: `must be one of ${CURRENCIES.join(', ')}` });
/** The seed's `market_location_type`. */
export const MARKET_LOCATION_TYPES = ['global', 'vending_machine', 'player_shop', 'safe_zone'] as const;
export const marketLocationTypeSchema = z.enum(MARKET_LOCATION_TYPES, {
  message: `must be one of ${MARKET_LOCATION_TYPES.join(', ')}`,
});

/** Reasons a game server or admin may credit a wallet with: coins entering the game. */
export const CREDIT_REASONS = [
  'quest_reward',
  'loot',
  'craft',
  'admin_grant',
  'event_reward',
  'npc_sale',
] as const;
/** Reasons a wallet may be debited for through the API: coins leaving the game. */
export const DEBIT_REASONS = ['npc_purchase', 'craft_cost', 'repair_cost', 'admin_revoke', 'fine'] as const;
/** The market's own sinks (listing fees, sales tax) and transfers, written only by its operations. */
export const MARKET_SINK_REASONS = ['listing_fee', 'sales_tax'] as const;
export const TRANSFER_REASONS = [
  'market_purchase',
  'market_sale',
  'claim_escrow',
  'claim_collect',
  'trade_out',
  'trade_in',
] as const;

/** The largest credit or debit of one request. */
export const WALLET_AMOUNT_MAX = 1_000_000_000_000_000;
/** The highest price per unit of a listing (10^12). */
export const PRICE_PER_UNIT_MAX = 1_000_000_000_000;
export const LISTING_HOURS_MAX = 168;
export const LISTINGS_PAGE_MAX = 200;
export const LEDGER_PAGE_MAX = 500;

const wholeNumber = (min: number, max: number) =>
  z
    .int({ message: 'must be a whole number' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** An opaque keyset cursor a listing route returned. */
const cursorSchema = z
  .string({ message: 'must be a string' })
  .max(200, 'too long')
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor this route returned');
/** A whole number in a query string. */
const queryNumber = (max: number, digits: number) =>
  z
    .string({ message: 'must be a number' })
    .regex(new RegExp(`^[0-9]{1,${digits}}$`), `must be 1 to ${max}`)
    .transform(Number)
    .pipe(wholeNumber(1, max));

export const walletView = z.object({ currency: currencySchema, balance: z.int() });
export type WalletView = z.infer<typeof walletView>;

const currencyParam = {
  currency: { field: 'currency', schema: currencySchema, description: CURRENCIES.join(', ') },
} as const;

export const playerRequest = z.strictObject({ playerId: uuid });

const walletChangeBody = (reasons: readonly [string, ...string[]]) =>
  z.strictObject({
    amount: wholeNumber(1, WALLET_AMOUNT_MAX),
    reason: z.enum(reasons, { message: `must be one of ${reasons.join(', ')}` }),
    reference: z
      .string({ message: 'must be a string' })
      .min(1, 'must not be empty')
      .max(255, 'at most 255 characters')
      .optional(),
  });
export const creditWalletBody = walletChangeBody(CREDIT_REASONS);
export const debitWalletBody = walletChangeBody(DEBIT_REASONS);
export const creditWalletRequest = creditWalletBody.extend({ playerId: uuid, currency: currencySchema });
export const debitWalletRequest = debitWalletBody.extend({ playerId: uuid, currency: currencySchema });
export type WalletChangeRequest = z.infer<typeof creditWalletRequest> | z.infer<typeof debitWalletRequest>;

export const walletLedgerQuery = z.strictObject({
  limit: queryNumber(LEDGER_PAGE_MAX, 3).optional(),
  cursor: cursorSchema.optional(),
});
export const walletLedgerRequest = z.strictObject({
  playerId: uuid,
  currency: currencySchema,
  limit: wholeNumber(1, LEDGER_PAGE_MAX).optional(),
  cursor: cursorSchema.optional(),
});
export type WalletLedgerRequest = z.infer<typeof walletLedgerRequest>;
export const walletLedgerEntryView = z.object({
  id: z.string(),
  delta: z.int(),
  balanceAfter: z.int(),
  reason: z.string(),
  reference: z.string().nullable(),
  createdAt: timestampView,
});
export const walletLedgerView = z.object({
  entries: z.array(walletLedgerEntryView),
  /** Pass it back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type WalletLedgerView = z.infer<typeof walletLedgerView>;

export const LISTING_STATUSES = ['active', 'sold_out', 'cancelled', 'expired'] as const;
export const listingView = z.object({
  id: z.uuid(),
  sellerId: z.uuid(),
  /** The escrowed item (what remains of it). */
  itemId: z.uuid(),
  itemTemplateId: z.string(),
  quantity: z.int(),
  soldQuantity: z.int(),
  remaining: z.int(),
  pricePerUnit: z.int(),
  currency: currencySchema,
  /** The item's durability when listed. */
  quality: z.number().nullable(),
  attachments: z.unknown(),
  locationType: marketLocationTypeSchema,
  locationId: z.uuid().nullable(),
  status: z.enum(LISTING_STATUSES),
  listingFee: z.int(),
  expiresAt: timestampView,
  createdAt: timestampView,
  closedAt: timestampView.nullable(),
});
export type ListingView = z.infer<typeof listingView>;

export const createListingBody = z.strictObject({
  sellerId: uuid,
  itemId: uuid,
  quantity: wholeNumber(1, 1_000_000),
  pricePerUnit: wholeNumber(1, PRICE_PER_UNIT_MAX),
  currency: currencySchema,
  locationType: marketLocationTypeSchema,
  locationId: uuid.optional(),
  expiresInHours: wholeNumber(1, LISTING_HOURS_MAX),
});
export const createListingRequest = createListingBody;
export type CreateListingRequest = z.infer<typeof createListingRequest>;

export const searchListingsQuery = z.strictObject({
  itemTemplateId: z
    .string({ message: 'must be a string' })
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be an item template id')
    .optional(),
  currency: currencySchema.optional(),
  locationType: marketLocationTypeSchema.optional(),
  locationId: uuid.optional(),
  maxPrice: queryNumber(PRICE_PER_UNIT_MAX, 13).optional(),
  sellerId: uuid.optional(),
  limit: queryNumber(LISTINGS_PAGE_MAX, 3).optional(),
  cursor: cursorSchema.optional(),
});
export const searchListingsRequest = z.strictObject({
  itemTemplateId: z
    .string({ message: 'must be a string' })
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be an item template id')
    .optional(),
  currency: currencySchema.optional(),
  locationType: marketLocationTypeSchema.optional(),
  locationId: uuid.optional(),
  maxPrice: wholeNumber(1, PRICE_PER_UNIT_MAX).optional(),
  sellerId: uuid.optional(),
  limit: wholeNumber(1, LISTINGS_PAGE_MAX).optional(),
  cursor: cursorSchema.optional(),
});
export type SearchListingsRequest = z.infer<typeof searchListingsRequest>;
export const listingsPageView = z.object({
  listings: z.array(listingView),
  /** Pass it back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ListingsPageView = z.infer<typeof listingsPageView>;

export const listingRequest = z.strictObject({ listingId: uuid });

export const purchaseListingBody = z.strictObject({
  buyerId: uuid,
  quantity: wholeNumber(1, 1_000_000),
  /** One of the buyer's inventories; the first free place of any of them when absent. */
  toInventoryId: uuid.optional(),
});
export const purchaseListingRequest = purchaseListingBody.extend({ listingId: uuid });
export type PurchaseListingRequest = z.infer<typeof purchaseListingRequest>;

export const claimView = z.object({
  id: z.uuid(),
  playerId: z.uuid(),
  kind: z.enum(['item', 'coins']),
  itemId: z.uuid().nullable(),
  itemTemplateId: z.string().nullable(),
  quantity: z.int().nullable(),
  currency: currencySchema.nullable(),
  amount: z.int().nullable(),
  /** purchase_no_room, listing_cancelled, listing_expired, … */
  reason: z.string(),
  listingId: z.uuid().nullable(),
  createdAt: timestampView,
  collectedAt: timestampView.nullable(),
  /** What collecting delivered (an item claim). */
  collectedItem: itemView.nullable(),
});
export type ClaimView = z.infer<typeof claimView>;

export const transactionView = z.object({
  id: z.uuid(),
  listingId: z.uuid(),
  buyerId: z.uuid(),
  sellerId: z.uuid(),
  itemTemplateId: z.string(),
  quantity: z.int(),
  pricePerUnit: z.int(),
  totalPrice: z.int(),
  salesTax: z.int(),
  currency: currencySchema,
  createdAt: timestampView,
});
export const purchaseView = z.object({
  transaction: transactionView,
  /** The bought item in the buyer's inventory; null when it went to the buyer's claims. */
  item: itemView.nullable(),
  /** The claim holding the bought item when the buyer had no room. */
  claim: claimView.nullable(),
  listing: listingView,
});
export type PurchaseView = z.infer<typeof purchaseView>;

export const collectClaimBody = z.strictObject({
  /** One of the player's inventories; the first free place of any of them when absent. */
  toInventoryId: uuid.optional(),
});
export const collectClaimRequest = collectClaimBody.extend({ playerId: uuid, claimId: uuid });
export type CollectClaimRequest = z.infer<typeof collectClaimRequest>;

export const expireListingsRequest = z.strictObject({
  /** The schedule's tick: listings whose time passed by then expire. */
  now: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }),
  limit: wholeNumber(1, 10_000).optional(),
});
export const expireListingsView = z.object({ expired: z.int(), claims: z.int(), more: z.boolean() });
export type ExpireListingsView = z.infer<typeof expireListingsView>;

/** Outbox events of the market service. */
export const MarketEvents = {
  listingCreated: 'evt.market.listing.created.v1',
  listingPurchased: 'evt.market.listing.purchased.v1',
  listingClosed: 'evt.market.listing.closed.v1',
} as const;

export const marketStatusQuery = z.strictObject({});
export const marketStatusRequest = marketStatusQuery;

export const marketStatusView = z.object({
  service: z.string(),
  /** The PostgreSQL schema the service owns. */
  schema: z.string(),
  /** How many functions the schema publishes. */
  functions: z.int(),
  databaseTime: z.string(),
});
export type MarketStatusView = z.infer<typeof marketStatusView>;

export const MarketSubjects = {
  getStatus: 'market.status.get.v1',
  listWallets: 'market.wallets.list.v1',
  creditWallet: 'market.wallet.credit.v1',
  debitWallet: 'market.wallet.debit.v1',
  walletLedger: 'market.wallet.ledger.v1',
  createListing: 'market.listing.create.v1',
  searchListings: 'market.listings.search.v1',
  purchaseListing: 'market.listing.purchase.v1',
  cancelListing: 'market.listing.cancel.v1',
  expireListings: 'market.listings.expire.v1',
  listClaims: 'market.claims.list.v1',
  collectClaim: 'market.claim.collect.v1',
} as const;

const TAG = 'market';

export const MarketOps = {
  getStatus: defineOperation({
    subject: MarketSubjects.getStatus,
    request: marketStatusRequest,
    reply: marketStatusView,
    principals: ['server', 'admin'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/market/status',
      query: marketStatusQuery,
      status: 200,
      tag: TAG,
      summary: 'The market service as its database sees it: its schema and how many functions it publishes',
    },
  }),
  listWallets: defineOperation({
    subject: MarketSubjects.listWallets,
    request: playerRequest,
    reply: z.array(walletView),
    principals: ['server', 'player', 'admin'],
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'GET',
      path: '/v1/players/{id}/wallets',
      params: { id: 'playerId' },
      status: 200,
      tag: TAG,
      summary: "A character's balance in every currency (its server, its own player, or an admin)",
    },
  }),
  creditWallet: defineOperation({
    subject: MarketSubjects.creditWallet,
    request: creditWalletRequest,
    reply: walletView,
    principals: ['server', 'admin'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, IDEMPOTENCY_KEY_REUSED],
    http: {
      method: 'POST',
      path: '/v1/players/{id}/wallets/{currency}/credit',
      params: { id: 'playerId', ...currencyParam },
      body: creditWalletBody,
      status: 200,
      tag: TAG,
      summary: `Add coins for a reason of ${CREDIT_REASONS.join(', ')} (one ledger row); honours Idempotency-Key`,
    },
  }),
  debitWallet: defineOperation({
    subject: MarketSubjects.debitWallet,
    request: debitWalletRequest,
    reply: walletView,
    principals: ['server', 'admin'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, INSUFFICIENT_FUNDS, IDEMPOTENCY_KEY_REUSED],
    http: {
      method: 'POST',
      path: '/v1/players/{id}/wallets/{currency}/debit',
      params: { id: 'playerId', ...currencyParam },
      body: debitWalletBody,
      status: 200,
      tag: TAG,
      summary: `Take coins for a reason of ${DEBIT_REASONS.join(', ')} (INSUFFICIENT_FUNDS below zero); honours Idempotency-Key`,
    },
  }),
  walletLedger: defineOperation({
    subject: MarketSubjects.walletLedger,
    request: walletLedgerRequest,
    reply: walletLedgerView,
    principals: ['server', 'player', 'admin'],
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'GET',
      path: '/v1/players/{id}/wallets/{currency}/ledger',
      params: { id: 'playerId', ...currencyParam },
      query: walletLedgerQuery,
      status: 200,
      tag: TAG,
      summary: "A wallet's ledger rows, newest first, keyset paged",
    },
  }),
  createListing: defineOperation({
    subject: MarketSubjects.createListing,
    request: createListingRequest,
    reply: listingView,
    principals: ['server', 'admin'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, INSUFFICIENT_FUNDS, LIMIT_REACHED, IDEMPOTENCY_KEY_REUSED],
    http: {
      method: 'POST',
      path: '/v1/market/listings',
      body: createListingBody,
      status: 201,
      tag: TAG,
      summary:
        "List a quantity of the seller's item: it moves into escrow and the listing fee is taken, in one transaction; honours Idempotency-Key",
    },
  }),
  searchListings: defineOperation({
    subject: MarketSubjects.searchListings,
    request: searchListingsRequest,
    reply: listingsPageView,
    principals: ['server', 'player', 'admin'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/market/listings',
      query: searchListingsQuery,
      status: 200,
      tag: TAG,
      summary: 'Active listings, cheapest first, keyset paged',
    },
  }),
  purchaseListing: defineOperation({
    subject: MarketSubjects.purchaseListing,
    request: purchaseListingRequest,
    reply: purchaseView,
    principals: ['server', 'admin'],
    idempotent: true,
    errors: [
      NOT_FOUND,
      FORBIDDEN,
      INSUFFICIENT_FUNDS,
      INSUFFICIENT_QUANTITY,
      LISTING_SOLD_OUT,
      LISTING_EXPIRED,
      LISTING_CANCELLED,
      OWN_LISTING,
      IDEMPOTENCY_KEY_REUSED,
    ],
    http: {
      method: 'POST',
      path: '/v1/market/listings/{id}/purchase',
      params: { id: 'listingId' },
      body: purchaseListingBody,
      status: 200,
      tag: TAG,
      summary:
        "Buy from a listing in one transaction: pay, the seller is paid less the sales tax, the item moves to the buyer (or the buyer's claims when there is no room); honours Idempotency-Key",
    },
  }),
  cancelListing: defineOperation({
    subject: MarketSubjects.cancelListing,
    request: listingRequest,
    reply: z.null(),
    principals: ['server', 'admin'],
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN, LISTING_SOLD_OUT, LISTING_EXPIRED],
    http: {
      method: 'DELETE',
      path: '/v1/market/listings/{id}',
      params: { id: 'listingId' },
      status: 204,
      tag: TAG,
      summary: "Cancel a listing: the unsold remainder returns to the seller (or the seller's claims)",
    },
  }),
  /** The listing-expiry schedule's call (no route). */
  expireListings: defineOperation({
    subject: MarketSubjects.expireListings,
    request: expireListingsRequest,
    reply: expireListingsView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
  listClaims: defineOperation({
    subject: MarketSubjects.listClaims,
    request: playerRequest,
    reply: z.array(claimView),
    principals: ['server', 'player', 'admin'],
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN],
    http: {
      method: 'GET',
      path: '/v1/players/{id}/claims',
      params: { id: 'playerId' },
      status: 200,
      tag: TAG,
      summary: 'Items and coins waiting for the character, newest first',
    },
  }),
  collectClaim: defineOperation({
    subject: MarketSubjects.collectClaim,
    request: collectClaimRequest,
    reply: claimView,
    principals: ['server', 'admin'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, SLOT_OCCUPIED, IDEMPOTENCY_KEY_REUSED],
    http: {
      method: 'POST',
      path: '/v1/players/{id}/claims/{claimId}/collect',
      params: { id: 'playerId', claimId: 'claimId' },
      body: collectClaimBody,
      status: 200,
      tag: TAG,
      summary:
        "Collect a claim: its item into the character's inventory, its coins into the wallet; collecting again changes nothing",
    },
  }),
} as const;
