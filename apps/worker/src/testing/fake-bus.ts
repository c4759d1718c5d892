import type { BusClient, RequestOptions } from '@trustno1/bus';

/** One request a fake bus received. */
export interface FakeBusCall {
  subject: string;
  payload: unknown;
  opts?: RequestOptions;
}

/** A fake bus and the requests it has received, oldest first. */
export interface FakeBus {
  bus: BusClient;
  calls: FakeBusCall[];
}

/**
 * A BusClient stand-in for the worker's processor specs: records every request (by subject, also for `call`) and answers
 * `reply(subject)` when `reply` is a function, else `reply`.
 */
export function fakeBus(reply: (subject: string) => unknown): FakeBus;
export function fakeBus(reply: unknown): FakeBus;
export function fakeBus(reply: unknown): FakeBus {
  const calls: FakeBusCall[] = [];
  const request = (subject: string, payload: unknown, opts?: RequestOptions) => {
    calls.push({ subject, payload, opts });
    return Promise.resolve(
      typeof reply === 'function' ? (reply as (subject: string) => unknown)(subject) : reply,
    );
  };
  // Operations are called by their definition; the subject is what reaches the service.
  const call = (op: { subject: string }, payload: unknown, opts?: RequestOptions) =>
    request(op.subject, payload, opts);
  const bus = { request, call } as unknown as BusClient;
  return { bus, calls };
}
