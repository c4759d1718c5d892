import { mapProcedureErrors, type ProcedureMessages } from '../procedures/procedure-errors';

const MESSAGES: ProcedureMessages = {
  BUILD_BLOCKED: 'Building is not allowed here',
  LIMIT_REACHED: 'The chunk holds the most structures it may',
  INSUFFICIENT_RESOURCES: "The cost is not in the covering tool cupboard's storage",
};

/** mapProcedureErrors with the structure procedures' messages for their rule codes. */
export function mapStructureErrors<T>(work: () => Promise<T>): Promise<T> {
  return mapProcedureErrors(work, MESSAGES);
}
