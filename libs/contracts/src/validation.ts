import type { z } from 'zod';
import { AppError, ErrorCode } from './errors';

/** One bad field, named by its JSON path (`states.3.position.x`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Turns zod issues into field problems; unknown keys are reported one field each. */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: base ? `${base}.${key}` : key, message: 'unknown field' }));
    }
    return [{ field: base || '(body)', message: issue.message }];
  });
}

/**
 * Validates a payload at the edge or in a service (game servers may call NATS directly, so both
 * check). Throws VALIDATION_FAILED naming each bad field; returns the parsed value.
 */
export function parsePayload<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = fieldProblems(result.error);
  const fields = problems.map((p) => p.field).join(', ');
  throw new AppError(ErrorCode.VALIDATION_FAILED, `Invalid request: ${fields}`, { fields: problems });
}
