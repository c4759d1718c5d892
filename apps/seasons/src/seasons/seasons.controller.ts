import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { SeasonsOps, type RequestOf } from '@trustno1/contracts';
import { SeasonsService } from './seasons.service';

const { listSeasons, getSeasonBoard, startSeason } = SeasonsOps;

/** The kit parses the request, checks the principal and answers errors; the handler calls the domain. */
@Controller()
export class SeasonsController {
  constructor(private readonly seasons: SeasonsService) {}

  @Handle(listSeasons)
  list() {
    return this.seasons.list();
  }

  @Handle(getSeasonBoard)
  board(request: RequestOf<typeof getSeasonBoard>) {
    return this.seasons.board(request);
  }

  @Handle(startSeason)
  start(request: RequestOf<typeof startSeason>, call: Call<typeof startSeason>) {
    return this.seasons.start(request, call.idempotency);
  }
}
