import { AppError, ErrorCode, isKnownCode } from '@trustno1/contracts';
import { sqlErrorOf } from '@trustno1/db';

/**
 * Runs `work` and turns the errors the combat functions raise (SQLSTATE P0001, MESSAGE = an
 * ErrorCode, DETAIL = JSON) into the AppError of that code. A function names a bad field as
 * {field, problem}; the API names fields as fields[]. Anything else propagates unchanged.
 */
export async function mapProcedureErrors<T>(work: () => Promise<T>): Promise<T> {
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
    const reason = typeof details.reason === 'string' ? `: ${details.reason}` : '';
    throw new AppError(e.message, `${e.message}${reason}`, details);
  }
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
