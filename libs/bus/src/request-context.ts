import { AsyncLocalStorage } from 'node:async_hooks';

// One header name from the gateway's HTTP request through NATS requests and events.
export { REQUEST_ID_HEADER } from '@trustno1/observability';

const storage = new AsyncLocalStorage<string>();

/** Runs `fn` with `id` as the current request id (visible to everything it awaits). */
export function runWithRequestId<T>(id: string, fn: () => T): T {
  return storage.run(id, fn);
}

/** The request id of the work in progress, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore();
}
