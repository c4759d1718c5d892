import { Controller } from '@nestjs/common';
import { Handle } from '@trustno1/bus';
import { SeasonsOps, type RequestOf } from '@trustno1/contracts';
import { LeaderboardsService } from './leaderboards.service';

const { getLeaderboard, getLeaderboardAround, rebuildLeaderboards } = SeasonsOps;

/** The kit parses the request, checks the principal and answers errors; the handler calls the domain. */
@Controller()
export class LeaderboardsController {
  constructor(private readonly leaderboards: LeaderboardsService) {}

  @Handle(getLeaderboard)
  get(request: RequestOf<typeof getLeaderboard>) {
    return this.leaderboards.page(request);
  }

  @Handle(getLeaderboardAround)
  around(request: RequestOf<typeof getLeaderboardAround>) {
    return this.leaderboards.around(request);
  }

  @Handle(rebuildLeaderboards)
  rebuild(request: RequestOf<typeof rebuildLeaderboards>) {
    return this.leaderboards.rebuildAll(new Date(request.now));
  }
}
