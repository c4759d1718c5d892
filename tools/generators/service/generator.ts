/**
 * `nx g @trustno1/generators:service <name>`: a NATS service app with one example operation end to
 * end (contract, SQL function in the service's schema, handler, gateway route, a test of each
 * tier), its config schema, health (from startService) and its worker jobs module, wired into every
 * list of apps the workspace keeps. Over an existing app it only adds what is missing (a stub's
 * main.ts is replaced; project.json keeps its description and tags), so it never clobbers work.
 * docs/adding-a-service.md walks through the result.
 */
import { formatFiles, logger, type Tree } from '@nx/devkit';
import * as files from './app-files';
import { assertServiceName, classNameOf, type ServiceNames } from './names';
import {
  healthPortOf,
  wireConfig,
  wireContracts,
  wireDatabase,
  wireDeployment,
  wireGateway,
  wireTesting,
  wireWorker,
  type ManualSteps,
} from './wiring';

export interface ServiceGeneratorSchema {
  name: string;
  description?: string;
}

interface ExistingProject {
  tags?: string[];
  metadata?: { description?: string };
}

export default async function serviceGenerator(
  tree: Tree,
  options: ServiceGeneratorSchema,
): Promise<() => void> {
  const name = options.name.trim();
  assertServiceName(name);
  const existing = readExisting(tree, `apps/${name}/project.json`);
  const n: ServiceNames = {
    name,
    className: classNameOf(name),
    port: healthPortOf(tree, name),
    description: options.description ?? existing?.metadata?.description ?? `The ${name} service.`,
  };
  const tags = existing?.tags ?? ['type:app', `scope:${name}`];

  const app = `apps/${name}`;
  const written: Record<string, string> = {
    [`${app}/project.json`]: files.projectJson(n, tags),
    [`${app}/README.md`]: files.featureDoc(n),
    [`${app}/src/main.ts`]: files.mainTs(n),
    [`${app}/src/${name}.module.ts`]: files.appModuleTs(n),
    [`${app}/src/${name}-config.ts`]: files.configTs(n),
    [`${app}/src/${name}-config.spec.ts`]: files.configSpecTs(n),
    [`${app}/src/status/status.module.ts`]: files.statusModuleTs(),
    [`${app}/src/status/status.controller.ts`]: files.statusControllerTs(n),
    [`${app}/src/status/status.service.ts`]: files.statusServiceTs(n),
    [`${app}/src/status/status.repository.ts`]: files.statusRepositoryTs(n),
    [`${app}/src/status/status.spec.ts`]: files.statusSpecTs(n),
    [`${app}/src/status/status.repository.int.spec.ts`]: files.statusIntSpecTs(n),
    [`${app}/src/status/status.e2e.spec.ts`]: files.statusE2eSpecTs(n),
    [`libs/contracts/src/${name}.ts`]: files.contractTs(n),
    [sqlFilePath(tree, name)]: files.sqlFile(n),
    [`apps/worker/src/${name}/${name}-jobs.module.ts`]: files.workerJobsTs(n),
  };
  for (const [path, text] of Object.entries(written)) {
    // Files grow with the domain: only project.json and a stub's main.ts are ever rewritten.
    if (tree.exists(path) && (!rewritable(tree, path) || sameJson(tree.read(path, 'utf-8'), text))) continue;
    tree.write(path, text);
  }

  const manual: ManualSteps = [];
  wireContracts(tree, n, manual);
  wireConfig(tree, n, manual);
  wireGateway(tree, n, manual);
  wireDatabase(tree, n, manual);
  wireTesting(tree, n, manual);
  wireWorker(tree, n, manual);
  wireDeployment(tree, n, manual);

  await formatFiles(tree);
  return () => {
    logger.info(`${name}: HEALTH_PORT ${n.port}, GET /v1/${name}/status for servers and admins.`);
    logger.info(
      `Left to do by hand: README.md (the HEALTH_PORT row and the app list), docs/architecture.md ` +
        `(owner of schema ${name}), CHANGELOG.md, and k8s/overlays/prod (anti-affinity, autoscaling) if ` +
        `the service needs them.`,
    );
    logger.info(
      `NATS: run \`npm run nats:config\` (the ${name} user joins k8s/base/nats/auth.conf), and add ` +
        `TN1_NATS_PASSWORD_${name.toUpperCase()} to the nats service of docker-compose.yml, the trustno1-nats ` +
        `Secret (k8s/base/secret.template.yaml) and the dev overlay's literals.`,
    );
    for (const step of manual) logger.warn(`manual step: ${step}`);
  };
}

/** project.json (tags and description kept) and the entry point of a stub that imports nothing. */
function rewritable(tree: Tree, path: string): boolean {
  if (path.endsWith('/project.json')) return true;
  return path.endsWith('/src/main.ts') && /imports: \[\]/.test(tree.read(path, 'utf-8') ?? '');
}

/** `prisma/sql/<name>/NN_status.sql`: the existing one, else the next number in the folder. */
function sqlFilePath(tree: Tree, name: string): string {
  const dir = `prisma/sql/${name}`;
  const present = tree.exists(dir) ? tree.children(dir).filter((f) => /^\d{2}_.+\.sql$/.test(f)) : [];
  const status = present.find((f) => /^\d{2}_status\.sql$/.test(f));
  if (status) return `${dir}/${status}`;
  const next = Math.max(0, ...present.map((f) => Number(f.slice(0, 2)))) + 1;
  return `${dir}/${String(next).padStart(2, '0')}_status.sql`;
}

/** True when both are JSON of the same value (project.json formatted differently is unchanged). */
function sameJson(a: string | null, b: string): boolean {
  if (a === null || !b.trimStart().startsWith('{')) return false;
  return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
}

function readExisting(tree: Tree, path: string): ExistingProject | undefined {
  const text = tree.read(path, 'utf-8');
  return text === null ? undefined : (JSON.parse(text) as ExistingProject);
}
