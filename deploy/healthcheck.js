// Container health probe: `node deploy/healthcheck.js [ready|live]` exits 0 when the app in this
// container answers GET /health/<kind> with 200, 1 otherwise. The runtime image has no curl or
// wget, so Docker's HEALTHCHECK and docker-compose use this (Kubernetes probes use httpGet).
//
// The port follows the app's own configuration: the gateway serves health on HTTP_PORT, every
// other app on HEALTH_PORT, with the same defaults as libs/config.
'use strict';

const DEFAULT_PORTS = {
  gateway: 3000,
  accounts: 3101,
  world: 3102,
  inventory: 3103,
  combat: 3104,
  market: 3105,
  factions: 3106,
  worker: 3107,
};

const kind = process.argv[2] || 'ready';
const app = process.env.APP || '';
const configured = app === 'gateway' ? process.env.HTTP_PORT : process.env.HEALTH_PORT;
const port = Number(configured || DEFAULT_PORTS[app]);

if (!['ready', 'live'].includes(kind) || !Number.isInteger(port) || port <= 0) {
  console.error(`healthcheck: cannot probe app "${app}" (kind ${kind}, port ${configured || 'unknown'})`);
  process.exit(1);
}

fetch(`http://127.0.0.1:${port}/health/${kind}`, { signal: AbortSignal.timeout(4000) })
  .then(async (response) => {
    if (response.ok) process.exit(0);
    // The 503 body names what is down; show it in `docker inspect` health logs.
    console.error(`healthcheck: ${response.status} ${(await response.text()).slice(0, 500)}`);
    process.exit(1);
  })
  .catch((error) => {
    console.error(`healthcheck: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
