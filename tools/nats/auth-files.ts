import { renderNatsAuthorization } from '@trustno1/bus';
import { GATEWAY_OPERATIONS } from '../../apps/gateway/src/operations/operations.module';

/** The generated NATS authorization files: the deployments' and the test suite's. */
export const NATS_AUTH_FILES = [
  // Included by k8s/base/nats/nats.conf and mounted by docker-compose.yml and `npm run nats`.
  { path: 'k8s/base/nats/auth.conf', render: () => renderNatsAuthorization(GATEWAY_OPERATIONS) },
  // The test suite's server: the same users, subjects also under a spec file's isolation prefix.
  {
    path: 'tools/nats/test-auth.conf',
    render: () => renderNatsAuthorization(GATEWAY_OPERATIONS, { prefixed: true }),
  },
] as const;
