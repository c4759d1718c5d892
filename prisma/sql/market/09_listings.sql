-- market: listings (issue 13, rules 2 to 4), each operation one call: create_listing,
-- search_listings, cancel_listing, purchase_listing, expire_listings.
--
-- Lock order, the same in every operation: the listing row, then wallets in player id order
-- (lock_wallets; a seller's listing creation is serialised by an advisory lock of the seller),
-- then inventories in id order (inventory's functions), then items.
--
-- Money: a listing costs LISTING_FEE_PERCENT of its total, rounded up, at least 1 (sink
-- listing_fee); a purchase moves the total from buyer (market_purchase) to seller (market_sale) and
-- takes SALES_TAX_PERCENT of it, rounded down, from the seller (sink sales_tax).

-- Sends the unsold remainder of a listing being closed back to its seller: the first free place of
-- the seller's inventories, else a claim. Returns the claim, or NULL when it went home.
CREATE OR REPLACE FUNCTION market.mkt_return_remainder(p_listing market_listings, p_reason text) RETURNS claims
LANGUAGE plpgsql AS $$
DECLARE
    v_moved jsonb;
    v_claim claims;
BEGIN
    IF p_listing.quantity - COALESCE(p_listing.sold_quantity, 0) = 0 THEN
        RETURN NULL;
    END IF;
    v_moved := inventory.market_deliver_item(p_listing.item_id, NULL, p_listing.seller_id, NULL, p_reason,
                                             'listing:' || p_listing.id);
    IF (v_moved ->> 'placed')::boolean THEN
        RETURN NULL;
    END IF;
    v_claim := claim_items(p_listing.seller_id, p_listing.item_id, NULL, p_reason, p_listing.id,
                           'listing:' || p_listing.id);
    RETURN v_claim;
END;
$$;

-- POST /v1/market/listings. p_quantity of p_item_id (the seller's) leaves into the listing's escrow,
-- the fee is taken, the listing is written. p_fee_percent and p_max_listings: the service's settings.
CREATE OR REPLACE FUNCTION market.create_listing(p_principal jsonb, p_idempotency_key varchar,
                                                 p_request_hash varchar, p_seller_id uuid, p_item_id uuid,
                                                 p_quantity integer, p_price_per_unit bigint, p_currency text,
                                                 p_location_type text, p_location_id uuid,
                                                 p_expires_in_hours integer, p_fee_percent numeric,
                                                 p_max_listings integer)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_caller text := mkt_principal_key(p_principal);
    v_idem record;
    v_id uuid := gen_random_uuid();
    v_active int;
    v_fee bigint;
    v_escrow jsonb;
    v_listing market_listings;
    v_result jsonb;
BEGIN
    PERFORM mkt_require(p_item_id IS NOT NULL, 'itemId', 'required');
    PERFORM mkt_require(p_quantity IS NOT NULL AND p_quantity >= 1, 'quantity', 'at least 1');
    PERFORM mkt_require(p_price_per_unit BETWEEN 1 AND 1000000000000, 'pricePerUnit', 'must be 1 to 10^12');
    PERFORM mkt_require(p_currency = ANY (enum_range(NULL::currency_type)::text[]), 'currency', 'unknown currency');
    PERFORM mkt_require(p_location_type = ANY (enum_range(NULL::market_location_type)::text[]), 'locationType',
                        'unknown location type');
    PERFORM mkt_require(p_expires_in_hours BETWEEN 1 AND 168, 'expiresInHours', 'must be 1 to 168');
    PERFORM mkt_require(p_fee_percent BETWEEN 0 AND 100, 'feePercent', 'must be 0 to 100');
    PERFORM mkt_require(p_max_listings >= 1, 'maxListings', 'at least 1');
    PERFORM mkt_require_actor(p_principal, p_seller_id, true, 'sellerId');
    IF p_idempotency_key IS NOT NULL THEN
        v_idem := idempotency_claim(v_caller, p_idempotency_key, p_request_hash);
        IF v_idem.replayed THEN
            RETURN v_idem.response;
        END IF;
    END IF;
    -- One seller's listings one at a time, so the count below stays true until commit.
    PERFORM pg_advisory_xact_lock(hashtextextended('market.listings:' || p_seller_id::text, 0));
    SELECT count(*) INTO v_active FROM market_listings WHERE seller_id = p_seller_id AND status = 'active';
    IF v_active >= p_max_listings THEN
        PERFORM raise_error('LIMIT_REACHED', jsonb_build_object('field', 'sellerId', 'limit', p_max_listings,
                            'active', v_active, 'reason', 'MAX_LISTINGS'));
    END IF;
    v_fee := CASE WHEN p_fee_percent = 0 THEN 0
                  ELSE greatest(1, ceil(p_price_per_unit::numeric * p_quantity * p_fee_percent / 100))::bigint END;
    IF v_fee > 0 THEN
        PERFORM wallet_move(p_seller_id, p_currency::currency_type, -v_fee, 'listing_fee', 'listing:' || v_id);
    END IF;
    v_escrow := inventory.market_escrow_item(p_item_id, p_seller_id, p_quantity, v_id, 'market_listing',
                                             'listing:' || v_id);
    INSERT INTO market_listings (id, seller_id, item_template_id, quantity, price_per_unit, currency, quality,
                                 attachments, location_type, location_id, expires_at, created_at, sold_quantity,
                                 status, item_id, escrow_inventory_id, listing_fee)
    VALUES (v_id, p_seller_id, v_escrow -> 'item' ->> 'templateId', p_quantity, p_price_per_unit,
            p_currency::currency_type, (v_escrow -> 'item' ->> 'durability')::float8,
            NULLIF(v_escrow -> 'item' -> 'attachments', 'null'::jsonb), p_location_type::market_location_type,
            p_location_id, now() + make_interval(hours => p_expires_in_hours), now(), 0, 'active',
            (v_escrow -> 'item' ->> 'id')::uuid, (v_escrow ->> 'inventoryId')::uuid, v_fee)
    RETURNING * INTO v_listing;
    INSERT INTO outbox (id, subject, payload, headers, created_at)
    VALUES (gen_random_uuid(), 'evt.market.listing.created.v1', mkt_listing_json(v_listing), '{}', clock_timestamp());
    PERFORM pg_notify('outbox_enqueued', '');
    v_result := mkt_listing_json(v_listing);
    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_store(v_caller, p_idempotency_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;

-- GET /v1/market/listings: active listings not past their time, cheapest first, keyset paged by
-- (price_per_unit, id) after (p_after_price, p_after_id). Returns {listings, next: {price, id} | null}.
CREATE OR REPLACE FUNCTION market.search_listings(p_template text, p_currency text, p_location_type text,
                                                  p_location_id uuid, p_max_price bigint, p_seller_id uuid,
                                                  p_limit integer, p_after_price bigint, p_after_id uuid)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_listings jsonb;
    v_next jsonb;
BEGIN
    PERFORM mkt_require(p_limit BETWEEN 1 AND 200, 'limit', 'must be 1 to 200');
    PERFORM mkt_require(p_currency IS NULL OR p_currency = ANY (enum_range(NULL::currency_type)::text[]),
                        'currency', 'unknown currency');
    PERFORM mkt_require(p_location_type IS NULL
                        OR p_location_type = ANY (enum_range(NULL::market_location_type)::text[]),
                        'locationType', 'unknown location type');
    SELECT COALESCE(jsonb_agg(page.j ORDER BY page.n) FILTER (WHERE page.n <= p_limit), '[]'),
           CASE WHEN count(*) > p_limit
                THEN (array_agg(jsonb_build_object('price', page.price, 'id', page.id)) FILTER (WHERE page.n = p_limit))[1]
           END
      INTO v_listings, v_next
      FROM (SELECT mkt_listing_json(l) AS j, l.price_per_unit AS price, l.id,
                   row_number() OVER (ORDER BY l.price_per_unit, l.id) AS n
              FROM (SELECT * FROM market_listings l
                     WHERE l.status = 'active' AND l.expires_at > now()
                       AND (p_template IS NULL OR l.item_template_id = p_template)
                       AND (p_currency IS NULL OR l.currency = p_currency::currency_type)
                       AND (p_location_type IS NULL OR l.location_type = p_location_type::market_location_type)
                       AND (p_location_id IS NULL OR l.location_id = p_location_id)
                       AND (p_max_price IS NULL OR l.price_per_unit <= p_max_price)
                       AND (p_seller_id IS NULL OR l.seller_id = p_seller_id)
                       AND (p_after_price IS NULL OR (l.price_per_unit, l.id) > (p_after_price, p_after_id))
                     ORDER BY l.price_per_unit, l.id LIMIT p_limit + 1) l) page;
    RETURN jsonb_build_object('listings', v_listings, 'next', v_next);
END;
$$;

-- Closes an active listing (cancelled or expired): the remainder goes back to the seller or into
-- a claim; the event says which. Returns {listing, claim}.
CREATE OR REPLACE FUNCTION market.mkt_close_listing(p_listing market_listings, p_status listing_status,
                                                    p_at timestamptz)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_claim claims;
    v_listing market_listings;
BEGIN
    v_claim := mkt_return_remainder(p_listing, 'listing_' || p_status::text);
    UPDATE market_listings SET status = p_status, closed_at = p_at WHERE id = p_listing.id
    RETURNING * INTO v_listing;
    INSERT INTO outbox (id, subject, payload, headers, created_at)
    VALUES (gen_random_uuid(), 'evt.market.listing.closed.v1',
            jsonb_build_object('listing', mkt_listing_json(v_listing), 'returned',
                               v_listing.quantity - COALESCE(v_listing.sold_quantity, 0),
                               'claimId', v_claim.id), '{}', clock_timestamp());
    PERFORM pg_notify('outbox_enqueued', '');
    RETURN jsonb_build_object('listing', mkt_listing_json(v_listing),
                              'claim', CASE WHEN v_claim.id IS NOT NULL THEN mkt_claim_json(v_claim) END);
END;
$$;

-- DELETE /v1/market/listings/{id}: the seller's server (or an admin) cancels; the unsold remainder
-- returns. Cancelling a cancelled listing again changes nothing; a sold-out or expired one is
-- LISTING_SOLD_OUT / LISTING_EXPIRED. Returns {listing, claim}.
CREATE OR REPLACE FUNCTION market.cancel_listing(p_principal jsonb, p_listing_id uuid) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_listing market_listings;
BEGIN
    PERFORM mkt_require(p_listing_id IS NOT NULL, 'listingId', 'required');
    SELECT * INTO v_listing FROM market_listings WHERE id = p_listing_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('field', 'listingId', 'listingId', p_listing_id));
    END IF;
    PERFORM mkt_require_actor(p_principal, v_listing.seller_id, true, 'sellerId');
    CASE v_listing.status
        WHEN 'cancelled' THEN
            RETURN jsonb_build_object('listing', mkt_listing_json(v_listing), 'claim', NULL);
        WHEN 'sold_out' THEN
            PERFORM raise_error('LISTING_SOLD_OUT', jsonb_build_object('listingId', v_listing.id));
        WHEN 'expired' THEN
            PERFORM raise_error('LISTING_EXPIRED', jsonb_build_object('listingId', v_listing.id,
                                'expiresAt', v_listing.expires_at));
        ELSE
            NULL;
    END CASE;
    RETURN mkt_close_listing(v_listing, 'cancelled', now());
END;
$$;

-- The listing-expiry schedule: up to p_limit active listings whose time has passed by p_now (the
-- tick) are expired, their remainder returned. SKIP LOCKED: two workers share the due listings
-- instead of queueing, and a listing a purchase or cancel holds is taken by the next run.
-- Returns {expired, claims, more}.
CREATE OR REPLACE FUNCTION market.expire_listings(p_now timestamptz, p_limit integer DEFAULT 200) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_listing market_listings;
    v_closed jsonb;
    v_expired int := 0;
    v_claims int := 0;
BEGIN
    PERFORM mkt_require(p_now IS NOT NULL, 'now', 'required');
    PERFORM mkt_require(p_limit BETWEEN 1 AND 10000, 'limit', 'must be 1 to 10000');
    FOR v_listing IN
        SELECT * FROM market_listings WHERE status = 'active' AND expires_at <= p_now
         ORDER BY expires_at, id LIMIT p_limit FOR UPDATE SKIP LOCKED
    LOOP
        v_closed := mkt_close_listing(v_listing, 'expired', p_now);
        v_expired := v_expired + 1;
        v_claims := v_claims + CASE WHEN v_closed -> 'claim' <> 'null'::jsonb THEN 1 ELSE 0 END;
    END LOOP;
    RETURN jsonb_build_object('expired', v_expired, 'claims', v_claims, 'more', v_expired = p_limit);
END;
$$;

-- POST /v1/market/listings/{id}/purchase: one call. The buyer pays the total (market_purchase),
-- the seller gets it (market_sale) less the sales tax (sales_tax), the bought quantity moves from
-- escrow to the buyer (p_to_inventory_id or the first free place; no room: a claim, never a
-- refusal after payment), the transactions row is written, the listing counts the sale.
-- Returns {transaction, item, claim, listing}.
CREATE OR REPLACE FUNCTION market.purchase_listing(p_principal jsonb, p_idempotency_key varchar,
                                                   p_request_hash varchar, p_listing_id uuid, p_buyer_id uuid,
                                                   p_quantity integer, p_to_inventory_id uuid,
                                                   p_tax_percent numeric)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_caller text := mkt_principal_key(p_principal);
    v_idem record;
    v_listing market_listings;
    v_remaining int;
    v_total numeric;
    v_tax bigint;
    v_ref text := 'listing:' || p_listing_id;
    v_moved jsonb;
    v_claim claims;
    v_tx jsonb;
    v_result jsonb;
BEGIN
    PERFORM mkt_require(p_listing_id IS NOT NULL, 'listingId', 'required');
    PERFORM mkt_require(p_quantity IS NOT NULL AND p_quantity >= 1, 'quantity', 'at least 1');
    PERFORM mkt_require(p_tax_percent BETWEEN 0 AND 100, 'taxPercent', 'must be 0 to 100');
    PERFORM mkt_require_actor(p_principal, p_buyer_id, true, 'buyerId');
    IF p_idempotency_key IS NOT NULL THEN
        v_idem := idempotency_claim(v_caller, p_idempotency_key, p_request_hash);
        IF v_idem.replayed THEN
            RETURN v_idem.response;
        END IF;
    END IF;
    SELECT * INTO v_listing FROM market_listings WHERE id = p_listing_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM raise_error('NOT_FOUND', jsonb_build_object('field', 'listingId', 'listingId', p_listing_id));
    END IF;
    IF v_listing.seller_id = p_buyer_id THEN
        PERFORM raise_error('OWN_LISTING', jsonb_build_object('field', 'buyerId', 'listingId', v_listing.id));
    END IF;
    CASE v_listing.status
        WHEN 'sold_out' THEN
            PERFORM raise_error('LISTING_SOLD_OUT', jsonb_build_object('listingId', v_listing.id));
        WHEN 'cancelled' THEN
            PERFORM raise_error('LISTING_CANCELLED', jsonb_build_object('listingId', v_listing.id));
        WHEN 'expired' THEN
            PERFORM raise_error('LISTING_EXPIRED', jsonb_build_object('listingId', v_listing.id,
                                'expiresAt', v_listing.expires_at));
        ELSE
            IF v_listing.expires_at <= now() THEN
                PERFORM raise_error('LISTING_EXPIRED', jsonb_build_object('listingId', v_listing.id,
                                    'expiresAt', v_listing.expires_at));
            END IF;
    END CASE;
    v_remaining := v_listing.quantity - COALESCE(v_listing.sold_quantity, 0);
    IF p_quantity > v_remaining THEN
        PERFORM raise_error('INSUFFICIENT_QUANTITY', jsonb_build_object('field', 'quantity',
                            'listingId', v_listing.id, 'available', v_remaining, 'requested', p_quantity));
    END IF;
    v_total := v_listing.price_per_unit::numeric * p_quantity;
    PERFORM mkt_require(v_total <= 1000000000000000000, 'quantity', 'the total is above 10^18');
    v_tax := floor(v_total * p_tax_percent / 100)::bigint;

    PERFORM lock_wallets(ARRAY[p_buyer_id, v_listing.seller_id], v_listing.currency);
    PERFORM wallet_move(p_buyer_id, v_listing.currency, -v_total::bigint, 'market_purchase', v_ref);
    PERFORM wallet_move(v_listing.seller_id, v_listing.currency, v_total::bigint, 'market_sale', v_ref);
    IF v_tax > 0 THEN
        PERFORM wallet_move(v_listing.seller_id, v_listing.currency, -v_tax, 'sales_tax', v_ref);
    END IF;

    v_moved := inventory.market_deliver_item(v_listing.item_id, p_quantity, p_buyer_id, p_to_inventory_id,
                                             'market_purchase', v_ref);
    IF NOT (v_moved ->> 'placed')::boolean THEN
        v_claim := claim_items(p_buyer_id, v_listing.item_id, p_quantity, 'purchase_no_room', v_listing.id, v_ref);
    END IF;

    v_tx := jsonb_build_object('id', gen_random_uuid(), 'listingId', v_listing.id, 'buyerId', p_buyer_id,
        'sellerId', v_listing.seller_id, 'itemTemplateId', v_listing.item_template_id, 'quantity', p_quantity,
        'pricePerUnit', v_listing.price_per_unit, 'totalPrice', v_total::bigint, 'salesTax', v_tax,
        'currency', v_listing.currency, 'createdAt', now());
    INSERT INTO transactions (id, buyer_id, seller_id, listing_id, item_template_id, quantity, total_price, currency,
                              transaction_type, location, created_at)
    VALUES ((v_tx ->> 'id')::uuid, p_buyer_id, v_listing.seller_id, v_listing.id, v_listing.item_template_id,
            p_quantity, v_total::bigint, v_listing.currency, 'market_purchase',
            jsonb_build_object('type', v_listing.location_type, 'id', v_listing.location_id), now());
    UPDATE market_listings
       SET sold_quantity = COALESCE(sold_quantity, 0) + p_quantity,
           status = CASE WHEN COALESCE(sold_quantity, 0) + p_quantity = quantity THEN 'sold_out' ELSE status END,
           closed_at = CASE WHEN COALESCE(sold_quantity, 0) + p_quantity = quantity THEN now() END
     WHERE id = v_listing.id
    RETURNING * INTO v_listing;
    INSERT INTO outbox (id, subject, payload, headers, created_at)
    VALUES (gen_random_uuid(), 'evt.market.listing.purchased.v1',
            v_tx || jsonb_build_object('status', v_listing.status, 'claimId', v_claim.id), '{}', clock_timestamp());
    PERFORM pg_notify('outbox_enqueued', '');
    v_result := jsonb_build_object('transaction', v_tx, 'item', v_moved -> 'item',
        'claim', CASE WHEN v_claim.id IS NOT NULL THEN mkt_claim_json(v_claim) END,
        'listing', mkt_listing_json(v_listing));
    IF p_idempotency_key IS NOT NULL THEN
        PERFORM idempotency_store(v_caller, p_idempotency_key, v_result);
    END IF;
    RETURN v_result;
END;
$$;
