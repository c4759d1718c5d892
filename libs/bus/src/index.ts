// Request/reply (NestJS NATS transport with house conventions)
export { BusModule } from './bus.module';
export type { BusModuleAsyncOptions } from './bus.module';
export { BUS_OPTIONS, BusClient, PrefixedClientNats } from './rpc/bus-client';
export type { BusOptions, RequestOptions } from './rpc/bus-client';
export { BusServer, createBusServer } from './rpc/bus-server';
export type { BusReplyEvent, BusServerOptions } from './rpc/bus-server';
export { RpcErrorFilter } from './rpc/rpc-error.filter';
export { IDEMPOTENCY_KEY_HEADER, Meta, parsePrincipal, requestMetaFrom } from './rpc/request-meta';
export { CallerAuthenticator, PRINCIPAL_HEADER, SERVER_KEY_HEADER } from './rpc/caller-authenticator';
export type { ServerKeyResolver } from './rpc/caller-authenticator';
export { DEVELOPMENT_SIGNING_KEYS, PRINCIPAL_SIGNATURE_HEADER, PrincipalSeal } from './rpc/principal-seal';
export type { PrincipalSealOptions, SigningKey } from './rpc/principal-seal';
export { QueuedCallRefused, QueuedCallSeal } from './rpc/queued-call';
export type { QueuedCall, QueuedCallRefusal, QueuedCallSealOptions } from './rpc/queued-call';
export { admit, Handle } from './rpc/handle';
export type { Call, OperationHandler } from './rpc/handle';
export type { RequestMeta } from './rpc/request-meta';
export { toClientError, toWireError } from './rpc/wire-errors';

// Request context
export { currentRequestId, REQUEST_ID_HEADER, runWithRequestId } from './request-context';

// Events: outbox, relay, stream, idempotent consumer
export { enqueueEvent, enqueueEventPrisma, OUTBOX_CHANNEL } from './outbox/enqueue';
export type { PrismaRawExecutor, SqlExecutor } from './outbox/enqueue';
export { OutboxRelay } from './outbox/relay';
export type { OutboxRelayOptions, OutboxRow } from './outbox/relay';
export { ensureEventsStream } from './outbox/stream';
export type { EventsStreamOptions } from './outbox/stream';
export { EventConsumer } from './consumer/event-consumer';
export type { EventConsumerOptions, EventHandler } from './consumer/event-consumer';
export type { BusEvent } from './consumer/decode';

// Subjects
export { DEFAULT_STREAM, eventsStreamSubjects, withoutPrefix, withPrefix } from './subjects';

// NATS users, permissions and credentials
export {
  devNatsPasswordEnv,
  GAME_SERVER_INBOX_PREFIX,
  NATS_APP_USERS,
  NATS_USERS,
  natsPermissions,
  renderNatsAuthorization,
} from './nats-users';
export type { NatsPermissions, NatsUser, RenderOptions } from './nats-users';
