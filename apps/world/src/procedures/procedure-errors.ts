// The shared mapping of the SQL functions' errors (libs/db), under the name world's features import.
export { invalidField, mapProcedureErrors, type ProcedureMessages } from '@trustno1/db';
