import { AppError, ErrorCode, isKnownCode } from '@trustno1/contracts';
import { sqlErrorOf } from '@trustno1/db';

/** 400 VALIDATION_FAILED naming one field, as the procedures' errors are mapped. */
export function invalidField(field: string, message: string): AppError {
  return new AppError(ErrorCode.VALIDATION_FAILED, `Invalid request: ${field}`, {
    fields: [{ field, message }],
  });
}

/** Messages a feature prefers for some codes; the code itself (with its reason) otherwise. */
export type ProcedureMessages = Partial<Record<ErrorCode, string>>;

/**
 * Runs `work` and turns the errors a service's SQL functions raise (world, combat) (SQLSTATE P0001, MESSAGE = an
 * ErrorCode, DETAIL = JSON) into the AppError of that code. A function names a bad field as
 * {field, problem}; the API names fields as fields[]. Anything else propagates unchanged. The
 * error is read through sqlErrorOf, so a call through Prisma maps exactly as one through pg.
 */
export async function mapProcedureErrors<T>(
  work: () => Promise<T>,
  messages: ProcedureMessages = {},
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const e = sqlErrorOf(error);
    if (e?.code !== 'P0001' || !isKnownCode(e.message)) throw error;
    const details = parseDetail(e.detail);
    const { field, problem, ...rest } = details;
    if (e.message === ErrorCode.VALIDATION_FAILED && typeof field === 'string') {
      const message = typeof problem === 'string' ? problem : 'invalid';
      throw new AppError(ErrorCode.VALIDATION_FAILED, `Invalid request: ${field}`, {
        ...rest,
        fields: [{ field, message }],
      });
    }
    throw new AppError(e.message, messages[e.message] ?? messageOf(e.message, details), details);
  }
}

function messageOf(code: string, details: Record<string, unknown>): string {
  if (typeof details.reason === 'string') return `${code}: ${details.reason}`;
  const ids = Object.keys(details).filter((k) => k.endsWith('Id'));
  return code === ErrorCode.NOT_FOUND && ids.length ? `${ids[0].replace(/Id$/, '')} not found` : code;
}

function parseDetail(detail: unknown): Record<string, unknown> {
  if (typeof detail !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(detail);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
