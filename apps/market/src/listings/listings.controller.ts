import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { MarketOps, type RequestOf } from '@trustno1/contracts';
import { ListingsService } from './listings.service';

const { createListing, searchListings, purchaseListing, cancelListing, expireListings } = MarketOps;

@Controller()
export class ListingsController {
  constructor(private readonly listings: ListingsService) {}

  @Handle(createListing)
  create(request: RequestOf<typeof createListing>, call: Call<typeof createListing>) {
    return this.listings.create(call.principal, request, call.idempotency);
  }

  @Handle(searchListings)
  search(request: RequestOf<typeof searchListings>) {
    return this.listings.search(request);
  }

  @Handle(purchaseListing)
  purchase(request: RequestOf<typeof purchaseListing>, call: Call<typeof purchaseListing>) {
    return this.listings.purchase(call.principal, request, call.idempotency);
  }

  @Handle(cancelListing)
  cancel(request: RequestOf<typeof cancelListing>, call: Call<typeof cancelListing>) {
    return this.listings.cancel(call.principal, request.listingId);
  }

  @Handle(expireListings)
  expire(request: RequestOf<typeof expireListings>) {
    return this.listings.expire(request.now, request.limit);
  }
}
