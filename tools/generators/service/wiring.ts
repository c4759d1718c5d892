/**
 * Edits to the workspace's existing lists of apps, each idempotent: a list that already names the
 * service is left as it is, so the generator can run again over a service (combat, market and
 * factions were stubs before it). An anchor that moved is reported, never guessed.
 */
import type { Tree } from '@nx/devkit';
import type { ServiceNames } from './names';

/** What could not be edited, with the exact change to make by hand. */
export type ManualSteps = string[];

function edit(
  tree: Tree,
  path: string,
  change: (text: string) => string | undefined,
  manual: ManualSteps,
  how: string,
) {
  const text = tree.read(path, 'utf-8');
  if (text === null) {
    manual.push(`${path} is missing: ${how}`);
    return;
  }
  const next = change(text);
  if (next === undefined) manual.push(`${path}: ${how}`);
  else if (next !== text) tree.write(path, next);
}

/** Adds `item` at the end of the array literal that follows `declaration`, unless it is there. */
function addToConstArray(text: string, declaration: string, item: string): string | undefined {
  const start = text.indexOf(declaration);
  if (start < 0) return undefined;
  const end = text.indexOf(']', start);
  if (text.slice(start, end).includes(`'${item}'`)) return text;
  const head = text.slice(0, end).replace(/,?(\s*)$/, '');
  const multiline = /\n\s*$/.test(text.slice(0, end));
  return multiline ? `${head},\n  '${item}',\n${text.slice(end)}` : `${head}, '${item}'${text.slice(end)}`;
}

/** The items of a comma-separated list as written in code (a trailing comma allowed). */
function listOf(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function wireContracts(tree: Tree, n: ServiceNames, manual: ManualSteps): void {
  edit(
    tree,
    'libs/contracts/src/index.ts',
    (text) =>
      text.includes(`'./${n.name}'`)
        ? text
        : text.replace(/(export \* from '\.\/operation';)/, `export * from './${n.name}';\n$1`),
    manual,
    `add export * from './${n.name}';`,
  );
  edit(
    tree,
    'libs/contracts/src/platform.ts',
    (text) => addToConstArray(text, 'export const SERVICES = [', n.name),
    manual,
    `add '${n.name}' to SERVICES`,
  );
}

export function wireConfig(tree: Tree, n: ServiceNames, manual: ManualSteps): void {
  edit(
    tree,
    'libs/config/src/apps.ts',
    (text) => {
      if (new RegExp(`^\\s+${n.name}: \\d+,`, 'm').test(text)) return text;
      return text.includes('  worker: ')
        ? text.replace('  worker: ', `  ${n.name}: ${n.port},\n  worker: `)
        : undefined;
    },
    manual,
    `add ${n.name}: ${n.port} to DEFAULT_HEALTH_PORTS`,
  );
}

/** The default HEALTH_PORT: the one already configured, else the next after every other app's. */
export function healthPortOf(tree: Tree, name: string): number {
  const text = tree.read('libs/config/src/apps.ts', 'utf-8') ?? '';
  const block = /DEFAULT_HEALTH_PORTS = \{([^}]*)\}/.exec(text)?.[1] ?? '';
  const ports = new Map([...block.matchAll(/(\w+): (\d+)/g)].map((m) => [m[1], Number(m[2])]));
  return ports.get(name) ?? Math.max(3100, ...ports.values()) + 1;
}

export function wireGateway(tree: Tree, n: ServiceNames, manual: ManualSteps): void {
  const ops = `${n.className}Ops`;
  edit(
    tree,
    'apps/gateway/src/operations/operations.module.ts',
    (text) => {
      if (text.includes(ops)) return text;
      const imported = /import \{([^}]*)\} from '@trustno1\/contracts';/.exec(text);
      const listed = /operationsOf\(([^)]*)\)/.exec(text);
      if (!imported || !listed) return undefined;
      const names = [...listOf(imported[1]), ops].sort((a, b) => a.localeCompare(b));
      return text
        .replace(imported[0], `import { ${names.join(', ')} } from '@trustno1/contracts';`)
        .replace(listed[0], `operationsOf(${[...listOf(listed[1]), ops].join(', ')})`);
    },
    manual,
    `import ${ops} from @trustno1/contracts and add it to GATEWAY_OPERATIONS`,
  );
  edit(
    tree,
    'apps/gateway/src/authorization.e2e.spec.ts',
    (text) => {
      const route = `GET /v1/${n.name}/status`;
      if (text.includes(`'${route}'`)) return text;
      const marker = '    // <service rows: nx g @trustno1/generators:service adds its example route here>';
      if (!text.includes(marker)) return undefined;
      const row = `    {\n      route: '${route}',\n      request: () => ({ method: 'GET', path: '/v1/${n.name}/status' }),\n      expect: serverOrAdmin,\n    },\n`;
      return text.replace(marker, row + marker);
    },
    manual,
    `add a row for GET /v1/${n.name}/status (serverOrAdmin) to the route × principal table`,
  );
}

export function wireDatabase(tree: Tree, n: ServiceNames, manual: ManualSteps): void {
  edit(
    tree,
    'libs/db/src/migrate/repeatable.ts',
    (text) => addToConstArray(text, 'export const SQL_OWNERS = [', n.name),
    manual,
    `add '${n.name}' to SQL_OWNERS`,
  );
  // OWNER_ERRORS of libs/db's procedure-sources spec gets `<name>: <Name>Errors` with the domain's
  // first coded error: until then the service's SQL raises none, which the spec already enforces.
}

export function wireTesting(tree: Tree, n: ServiceNames, manual: ManualSteps): void {
  edit(
    tree,
    'libs/testing/src/apps.ts',
    (text) => {
      if (text.includes(`'${n.name}'`)) return text;
      return text.includes(` | 'worker';`)
        ? text.replace(` | 'worker';`, ` | '${n.name}' | 'worker';`)
        : undefined;
    },
    manual,
    `add '${n.name}' to AppName`,
  );
}

export function wireWorker(tree: Tree, n: ServiceNames, manual: ManualSteps): void {
  const module = `${n.className}JobsModule`;
  edit(
    tree,
    'apps/worker/src/jobs.ts',
    (text) => {
      if (text.includes(module)) return text;
      const marker = '  // <domain jobs: nx g @trustno1/generators:service adds its module here>';
      const importAnchor = '\n\n/**';
      if (!text.includes(marker) || !text.includes(importAnchor)) return undefined;
      const at = text.indexOf(importAnchor);
      const withImport = `${text.slice(0, at)}\nimport { ${module} } from './${n.name}/${n.name}-jobs.module';${text.slice(at)}`;
      return withImport.replace(marker, `  { domain: '${n.name}', module: ${module} },\n${marker}`);
    },
    manual,
    `import ${module} from './${n.name}/${n.name}-jobs.module' and add { domain: '${n.name}', module: ${module} } to DOMAIN_JOBS`,
  );
}

export function wireDeployment(tree: Tree, n: ServiceNames, manual: ManualSteps): void {
  edit(
    tree,
    'docker-compose.yml',
    (text) => {
      if (new RegExp(`^  ${n.name}:$`, 'm').test(text)) return text;
      if (!/^ {2}worker:$/m.test(text)) return undefined;
      const block =
        `  ${n.name}:\n    <<: *app\n    build:\n      <<: *build\n      args: { APP: ${n.name} }\n` +
        `    image: trustno1/${n.name}:\${TAG:-dev}\n    environment:\n      <<: *app-env\n` +
        `      NATS_PASSWORD: \${TN1_NATS_PASSWORD_${n.name.toUpperCase()}:-tn1-dev-${n.name}}\n` +
        `      HEALTH_PORT: ${n.port}\n    expose: ['${n.port}']\n\n`;
      return text.replace(/^ {2}worker:$/m, `${block}  worker:`);
    },
    manual,
    `add a ${n.name} service (HEALTH_PORT ${n.port}) like combat's`,
  );
  const manifest = `k8s/base/apps/${n.name}.yaml`;
  if (!tree.exists(manifest)) {
    const model = tree.read('k8s/base/apps/combat.yaml', 'utf-8');
    if (model === null)
      manual.push(`${manifest}: copy another service's manifest, name ${n.name}, port ${n.port}`);
    else
      tree.write(
        manifest,
        model
          .replace(
            /^# combat: .*$/m,
            `# ${n.name}: NATS request/reply service (${n.description.replace(/\.$/, '')}).`,
          )
          .replace(/\bcombat\b/g, n.name)
          .replace(/TN1_NATS_PASSWORD_COMBAT/g, `TN1_NATS_PASSWORD_${n.name.toUpperCase()}`)
          .replace(/\b3104\b/g, String(n.port)),
      );
  }
  edit(
    tree,
    'k8s/base/kustomization.yaml',
    (text) => {
      if (text.includes(`apps/${n.name}.yaml`)) return text;
      return text.includes('  - apps/worker.yaml')
        ? text.replace('  - apps/worker.yaml', `  - apps/${n.name}.yaml\n  - apps/worker.yaml`)
        : undefined;
    },
    manual,
    `list apps/${n.name}.yaml among the resources`,
  );
  edit(
    tree,
    'tools/validate-k8s.mjs',
    (text) => {
      if (new RegExp(`^\\s+${n.name}: \\d+,`, 'm').test(text)) return text;
      return /^ {2}worker: 3\d+,$/m.test(text)
        ? text.replace(/^ {2}worker: /m, `  ${n.name}: ${n.port},\n  worker: `)
        : undefined;
    },
    manual,
    `add ${n.name}: ${n.port} to APP_PORTS`,
  );
}
