import { Injectable } from '@nestjs/common';
import type { FactionsStatusView } from '@trustno1/contracts';
import { StatusRepository, type StatusRow } from './status.repository';

@Injectable()
export class StatusService {
  constructor(private readonly repository: StatusRepository) {}

  async get(): Promise<FactionsStatusView> {
    return statusView(await this.repository.read());
  }
}

/** The row of the SQL function as the API shows it. */
export function statusView(row: StatusRow): FactionsStatusView {
  return {
    service: row.service,
    schema: row.schema_name,
    functions: row.functions,
    databaseTime: row.database_time.toISOString(),
  };
}
