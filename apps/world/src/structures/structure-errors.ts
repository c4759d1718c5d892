import { AppError, isKnownCode, type ErrorCode } from '@trustno1/contracts';

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  BUILD_BLOCKED: 'Building is not allowed here',
  LIMIT_REACHED: 'The chunk holds the most structures it may',
  NOT_FOUND: 'Not found',
  VALIDATION_FAILED: 'Invalid request',
  FORBIDDEN: 'Not allowed',
};

/**
 * Runs `work` and turns the structure procedures' errors (SQLSTATE P0001, MESSAGE = an error code,
 * DETAIL = JSON) into the AppError of that code; a procedure's {field, problem} becomes the API's
 * fields[]. Anything else propagates unchanged (withTransaction already retried what it could).
 */
export async function mapStructureErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown; detail?: unknown };
    if (e?.code !== 'P0001' || typeof e.message !== 'string' || !isKnownCode(e.message)) throw error;
    const code = e.message;
    const details = parseDetail(e.detail);
    const { field, problem, ...rest } = details;
    if (code === 'VALIDATION_FAILED' && typeof field === 'string') {
      const message = typeof problem === 'string' ? problem : 'invalid';
      throw new AppError(code, `Invalid request: ${field}`, { ...rest, fields: [{ field, message }] });
    }
    throw new AppError(code, MESSAGES[code] ?? code, details);
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
