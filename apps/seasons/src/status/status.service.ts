import { Injectable } from '@nestjs/common';
import type { SeasonsStatusView } from '@trustno1/contracts';
import { StatusRepository, type StatusRow } from './status.repository';

@Injectable()
export class StatusService {
  constructor(private readonly repository: StatusRepository) {}

  async get(): Promise<SeasonsStatusView> {
    return statusView(await this.repository.read());
  }
}

/** The row of the SQL function as the API shows it. */
export function statusView(row: StatusRow): SeasonsStatusView {
  return {
    service: row.service,
    schema: row.schema_name,
    functions: row.functions,
    databaseTime: row.database_time.toISOString(),
  };
}
