import { mapProcedureErrors, type ProcedureMessages } from '../procedures/procedure-errors';

const MESSAGES: ProcedureMessages = {
  BUILD_BLOCKED: 'Building is not allowed here',
  LIMIT_REACHED: 'The chunk holds the most structures it may',
};

/** mapProcedureErrors with the structure procedures' messages for their rule codes. */
export function mapStructureErrors<T>(work: () => Promise<T>): Promise<T> {
  return mapProcedureErrors(work, MESSAGES);
}
