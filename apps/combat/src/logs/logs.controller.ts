import { Controller } from '@nestjs/common';
import { Handle, type Call } from '@trustno1/bus';
import { CombatOps, type RequestOf } from '@trustno1/contracts';
import { LogsService } from './logs.service';

const { listLogs } = CombatOps;

@Controller()
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @Handle(listLogs)
  list(request: RequestOf<typeof listLogs>, call: Call<typeof listLogs>) {
    return this.logs.list(call.principal, request);
  }
}
