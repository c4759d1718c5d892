import { AsyncLocalStorage } from 'node:async_hooks';

/** Header that carries the request id across NATS (requests and events). */
export const REQUEST_ID_HEADER = 'x-request-id';

const storage = new AsyncLocalStorage<string>();

/** Runs `fn` with `id` as the current request id (visible to everything it awaits). */
export function runWithRequestId<T>(id: string, fn: () => T): T {
  return storage.run(id, fn);
}

/** The request id of the work in progress, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore();
}
