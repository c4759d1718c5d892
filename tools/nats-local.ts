// `npm run nats`: a local NATS server with the platform's users, for `npm run dev` and for
// running an app by hand (`nx serve inventory`). It keeps running in the background.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { devNatsPassword } from '@trustno1/config';
import { NATS_USERS } from '@trustno1/bus';
import { DEPLOYED_AUTH, listening, LOCAL_NATS_PORT, ROOT, startLocalNats } from './nats/server';
import { exitWithUsageIfAsked } from './usage';

exitWithUsageIfAsked(`
Usage: npm run nats            start it (nothing happens when it already runs)
       npm run nats -- --stop  stop it

Starts nats-server with JetStream and authentication on 127.0.0.1:4223 (TN1_NATS_PORT), in the
background, with the users of k8s/base/nats/auth.conf and their development passwords
(tn1-dev-<user>). Its files are in tmp/nats. \`npm run dev\` starts it itself when NATS_URL is unset.
`);

const DIR = join(ROOT, 'tmp/nats');

async function main(): Promise<void> {
  if (process.argv.includes('--stop')) {
    let pid = 0;
    try {
      pid = Number(readFileSync(join(DIR, 'nats-server.pid'), 'utf8'));
    } catch {
      // never started here
    }
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    rmSync(join(DIR, 'nats-server.pid'), { force: true });
    process.stdout.write(
      pid > 0 ? `stopped nats-server (pid ${pid})\n` : 'no local nats-server was started\n',
    );
    return;
  }
  if (await listening(LOCAL_NATS_PORT)) {
    process.stdout.write(`something already listens on 127.0.0.1:${LOCAL_NATS_PORT}; leaving it\n`);
  } else {
    const server = await startLocalNats({
      authFile: DEPLOYED_AUTH,
      port: LOCAL_NATS_PORT,
      dir: DIR,
      detached: true,
    });
    process.stdout.write(
      `nats-server with authentication on ${server.url} (pid ${server.pid}, files in tmp/nats)\n`,
    );
  }
  process.stdout.write(
    [
      `  NATS_URL=nats://127.0.0.1:${LOCAL_NATS_PORT}`,
      `  each app: NATS_USER=<app> (its default) NATS_PASSWORD=tn1-dev-<app>`,
      `  users: ${NATS_USERS.map((u) => `${u}/${devNatsPassword(u)}`).join(' ')}`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
