import { Controller } from '@nestjs/common';
import { Handle } from '@trustno1/bus';
import { SeasonsOps } from '@trustno1/contracts';
import { StatusService } from './status.service';

/** The kit parses the request, checks the principal and answers errors; the handler calls the domain. */
@Controller()
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Handle(SeasonsOps.getStatus)
  get() {
    return this.status.get();
  }
}
