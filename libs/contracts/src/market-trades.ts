/**
 * Direct trades (issue 13, rule 6): two characters joined to the same game server swap items and
 * coins. Offered items wait in escrow (an item is in at most one open trade or listing); an offer
 * change resets both acceptances; when both accept, everything swaps in one transaction. A trade
 * idle for TRADE_TIMEOUT_SECONDS, or with a character who left the server, is cancelled by the
 * market.trades.expire schedule (docs/trades-and-prices.md).
 */
import { z } from 'zod';
import { ErrorCode } from './errors';
import { PRICE_CURRENCIES } from './market-prices';
import { defineOperation } from './operation';
import { timestampView } from './world';

const uuid = z.uuid({ message: 'must be a UUID' });

/** Most item stacks one side may offer. */
export const TRADE_MAX_ITEMS = 20;
/** The most coins of one currency one side may offer (as listing prices). */
export const TRADE_MAX_AMOUNT = 1_000_000_000_000;

const wholeNumber = (max: number) =>
  z
    .int({ message: 'must be a whole number' })
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`);

export const tradeItemOffer = z.strictObject({
  /** An item in one of the player's own inventories; a part of a stack splits off. */
  itemId: uuid,
  quantity: wholeNumber(1_000_000),
});
export const tradeMoneyOffer = z.strictObject({
  currency: z.enum(PRICE_CURRENCIES, { message: `must be one of ${PRICE_CURRENCIES.join(', ')}` }),
  amount: wholeNumber(TRADE_MAX_AMOUNT),
});

export const openTradeBody = z.strictObject({ initiatorId: uuid, partnerId: uuid });
export const openTradeRequest = openTradeBody;

export const tradeOfferBody = z.strictObject({
  /** The character whose whole offer this becomes. */
  playerId: uuid,
  items: z
    .array(tradeItemOffer, { message: 'must be an array' })
    .max(TRADE_MAX_ITEMS, `at most ${TRADE_MAX_ITEMS} items`)
    .refine((items) => new Set(items.map((i) => i.itemId.toLowerCase())).size === items.length, {
      message: 'an item may be offered once',
    }),
  money: z
    .array(tradeMoneyOffer, { message: 'must be an array' })
    .max(PRICE_CURRENCIES.length, `at most ${PRICE_CURRENCIES.length} currencies`)
    .refine((money) => new Set(money.map((m) => m.currency)).size === money.length, {
      message: 'a currency may be offered once',
    }),
});
export const tradeOfferRequest = tradeOfferBody.extend({ tradeId: uuid });
export type TradeOfferRequest = z.infer<typeof tradeOfferRequest>;

export const acceptTradeBody = z.strictObject({
  playerId: uuid,
  /** The trade's version the player saw; an offer changed since is CONFLICT OFFER_CHANGED. */
  version: z.int({ message: 'must be a whole number' }).min(0, 'must not be negative').optional(),
});
export const acceptTradeRequest = acceptTradeBody.extend({ tradeId: uuid });

export const tradeIdRequest = z.strictObject({ tradeId: uuid });
/** The trade routes without a body take no query fields either. */
export const tradeNoQuery = z.strictObject({});

/** Internal: the market.trades.expire schedule's tick (admin). */
export const expireTradesRequest = z.strictObject({
  now: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset' }),
});
export const expireTradesView = z.object({
  cancelled: z.int(),
  trades: z.array(z.object({ id: z.uuid(), reason: z.enum(['TIMED_OUT', 'PLAYER_LEFT']) })),
});
export type ExpireTradesView = z.infer<typeof expireTradesView>;

export const TRADE_STATUSES = ['open', 'executed', 'cancelled'] as const;

export const tradeOfferView = z.object({
  playerId: z.uuid(),
  accepted: z.boolean(),
  items: z.array(
    z.object({
      /** The escrowed item (after the trade: the item the other side received). */
      itemId: z.uuid(),
      /** The item the player offered (the stack it was split from, or the same item). */
      offeredItemId: z.uuid(),
      itemTemplateId: z.string(),
      quantity: z.int(),
    }),
  ),
  money: z.array(z.object({ currency: z.enum(PRICE_CURRENCIES), amount: z.number() })),
});

export const tradeView = z.object({
  id: z.uuid(),
  serverId: z.uuid(),
  initiatorId: z.uuid(),
  partnerId: z.uuid(),
  status: z.enum(TRADE_STATUSES),
  /** Bumped by every offer change. */
  version: z.int(),
  /** The initiator's offer, then the partner's. */
  offers: z.array(tradeOfferView),
  createdAt: timestampView,
  updatedAt: timestampView,
  /** When an open trade left idle is cancelled. */
  expiresAt: timestampView.nullable(),
  closedAt: timestampView.nullable(),
  /** EXECUTED, CANCELLED, TIMED_OUT or PLAYER_LEFT. */
  closeReason: z.string().nullable(),
});
export type TradeView = z.infer<typeof tradeView>;

/**
 * Outbox events of direct trades (stream EVENTS), written in the transaction that closes the trade;
 * the payload is the trade (TradeView) as it closed.
 */
export const TradeEvents = {
  executed: 'evt.market.trade.executed.v1',
  cancelled: 'evt.market.trade.cancelled.v1',
} as const;

export const TradeSubjects = {
  open: 'market.trade.open.v1',
  offer: 'market.trade.offer.v1',
  accept: 'market.trade.accept.v1',
  cancel: 'market.trade.cancel.v1',
  get: 'market.trade.get.v1',
  expire: 'market.trade.expire.v1',
} as const;

const { NOT_FOUND, FORBIDDEN, CONFLICT, INSUFFICIENT_FUNDS, IDEMPOTENCY_KEY_REUSED } = ErrorCode;
const TAG = 'trades';

export const TradeOps = {
  openTrade: defineOperation({
    subject: TradeSubjects.open,
    request: openTradeRequest,
    reply: tradeView,
    principals: ['server', 'admin'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, CONFLICT, IDEMPOTENCY_KEY_REUSED],
    http: {
      method: 'POST',
      path: '/v1/trades',
      body: openTradeBody,
      status: 201,
      tag: TAG,
      summary:
        'Open a direct trade between two characters joined to the same server (CONFLICT NOT_ON_THE_SAME_SERVER)',
    },
  }),
  setOffer: defineOperation({
    subject: TradeSubjects.offer,
    request: tradeOfferRequest,
    reply: tradeView,
    principals: ['server', 'admin'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, CONFLICT, INSUFFICIENT_FUNDS, IDEMPOTENCY_KEY_REUSED],
    http: {
      method: 'PUT',
      path: '/v1/trades/{id}/offer',
      params: { id: 'tradeId' },
      body: tradeOfferBody,
      status: 200,
      tag: TAG,
      summary:
        "Replace one side's offer (items into escrow, coins checked); a change resets both acceptances",
    },
  }),
  accept: defineOperation({
    subject: TradeSubjects.accept,
    request: acceptTradeRequest,
    reply: tradeView,
    principals: ['server', 'admin'],
    idempotent: true,
    errors: [NOT_FOUND, FORBIDDEN, CONFLICT, INSUFFICIENT_FUNDS, IDEMPOTENCY_KEY_REUSED],
    http: {
      method: 'POST',
      path: '/v1/trades/{id}/accept',
      params: { id: 'tradeId' },
      body: acceptTradeBody,
      status: 200,
      tag: TAG,
      summary:
        'Accept the offers as they are; with both sides accepted the trade executes at once (status executed)',
    },
  }),
  cancel: defineOperation({
    subject: TradeSubjects.cancel,
    request: tradeIdRequest,
    reply: z.null(),
    principals: ['server', 'admin'],
    idempotent: false,
    errors: [NOT_FOUND, FORBIDDEN, CONFLICT],
    http: {
      method: 'DELETE',
      path: '/v1/trades/{id}',
      params: { id: 'tradeId' },
      query: tradeNoQuery,
      status: 204,
      tag: TAG,
      summary: 'Cancel an open trade: every escrowed item goes back to its owner (CONFLICT once executed)',
    },
  }),
  getTrade: defineOperation({
    subject: TradeSubjects.get,
    request: tradeIdRequest,
    reply: tradeView,
    principals: ['server', 'player', 'admin'],
    idempotent: false,
    errors: [NOT_FOUND],
    http: {
      method: 'GET',
      path: '/v1/trades/{id}',
      params: { id: 'tradeId' },
      query: tradeNoQuery,
      status: 200,
      tag: TAG,
      summary: "A trade's state and offers (a server: its own trades; a player: its characters')",
    },
  }),
  /** The market.trades.expire schedule: cancels the idle trades and those a character left. */
  expireTrades: defineOperation({
    subject: TradeSubjects.expire,
    request: expireTradesRequest,
    reply: expireTradesView,
    principals: ['admin'],
    idempotent: false,
    errors: [],
  }),
} as const;
