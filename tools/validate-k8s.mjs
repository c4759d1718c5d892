#!/usr/bin/env node
// Checks the Kubernetes manifests under k8s/ without a cluster (SPEC section 11: "manifests
// validated in CI without a cluster").
//
//   node tools/validate-k8s.mjs
//       Needs no kubectl: parses every YAML file under k8s/, checks that each kustomization's
//       resources, patches and generator files exist and that every patch without a target
//       names an object of the base, then runs the semantic checks below on the base.
//   kubectl kustomize k8s/overlays/prod | node tools/validate-k8s.mjs --rendered prod
//       Runs the semantic checks on a rendered overlay (tools/validate-k8s.sh does this for
//       every overlay when kubectl is installed); `prod` adds the production expectations.
//
// Semantic checks: unique objects; selectors that match pod labels; Services, probes and
// NetworkPolicies that name declared ports; HPA, PDB, ScheduledBackup, ConfigMap, Secret and PVC
// references that resolve; requests and limits on every container; liveness and readiness on
// /health/live and /health/ready for every app on its APP port; non-root pods; the NATS cluster
// routes agreeing with the replica count; Redis noeviction with AOF; WAL archiving within the RPO.
//
// YAML is parsed with js-yaml or yaml when either is in node_modules (both arrive today as
// dependencies of dependencies, not as the project's own); without a parser the script can only
// check the files' structure, says so, and skips the rest.
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const k8sDir = join(root, 'k8s');
const require = createRequire(import.meta.url);

const APP_PORTS = {
  gateway: 3000,
  accounts: 3101,
  world: 3102,
  inventory: 3103,
  combat: 3104,
  market: 3105,
  factions: 3106,
  seasons: 3108,
  worker: 3107,
};
// Secrets that are never rendered: created by the operator or out of band (secret.template.yaml),
// among them each app's database role (trustno1-db-<app>).
const EXTERNAL_SECRETS = new Set([
  'trustno1-pg-app',
  'trustno1-pg-superuser',
  'trustno1-app',
  'trustno1-backup-s3',
  'trustno1-nats',
  ...Object.keys(APP_PORTS).map((app) => `trustno1-db-${app}`),
]);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
]);
const RPO_SECONDS = 300;

const errors = [];
const notes = [];
let checks = 0;
const fail = (where, message) => errors.push(`${where}: ${message}`);
const check = (ok, where, message) => {
  checks += 1;
  if (!ok) fail(where, message);
};

// ---------------------------------------------------------------------------------------------
// YAML
// ---------------------------------------------------------------------------------------------
function loadParser() {
  try {
    const jsYaml = require('js-yaml');
    return {
      name: `js-yaml ${require('js-yaml/package.json').version}`,
      parseAll: (text) => jsYaml.loadAll(text),
    };
  } catch {
    /* try the next one */
  }
  try {
    const yaml = require('yaml');
    return {
      name: `yaml ${require('yaml/package.json').version}`,
      parseAll: (text) =>
        yaml.parseAllDocuments(text).map((doc) => {
          if (doc.errors.length > 0) throw new Error(doc.errors[0].message);
          return doc.toJSON();
        }),
    };
  } catch {
    return undefined;
  }
}

function yamlFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry) ? [path] : [];
  });
}

/** Without a parser: tabs, document markers and the top-level keys every object needs. */
function structuralCheck(file) {
  const text = readFileSync(file, 'utf8');
  const where = relative(root, file);
  check(!/^\t/m.test(text), where, 'indents with a tab (YAML forbids tabs)');
  if (/kustomization\.ya?ml$/.test(file)) return;
  for (const [index, doc] of text.split(/^---\s*$/m).entries()) {
    const body = doc.replace(/^\s*#.*$/gm, '').trim();
    if (!body) continue;
    for (const key of ['apiVersion', 'kind', 'metadata']) {
      check(new RegExp(`^${key}:`, 'm').test(body), `${where} document ${index + 1}`, `no top-level ${key}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Source mode: the files under k8s/ as written
// ---------------------------------------------------------------------------------------------
function readDocs(parser, file) {
  try {
    return parser.parseAll(readFileSync(file, 'utf8')).filter((doc) => doc !== null && doc !== undefined);
  } catch (error) {
    fail(relative(root, file), `does not parse: ${error.message.split('\n')[0]}`);
    return [];
  }
}

/** Loads a kustomization's own resources and generated ConfigMaps (overlays are left to kubectl). */
function loadKustomization(parser, dir, referenced) {
  const file = ['kustomization.yaml', 'kustomization.yml'].map((f) => join(dir, f)).find(existsSync);
  const where = relative(root, dir) || '.';
  if (!file) {
    fail(where, 'no kustomization.yaml');
    return [];
  }
  referenced.add(file);
  const [kustomization] = readDocs(parser, file);
  if (!kustomization) return [];
  const objects = [];
  const own = [];
  for (const entry of kustomization.resources ?? []) {
    const path = join(dir, entry);
    if (!existsSync(path)) {
      fail(where, `resource ${entry} does not exist`);
    } else if (statSync(path).isDirectory()) {
      objects.push(...loadKustomization(parser, path, referenced));
    } else {
      referenced.add(path);
      own.push(...readDocs(parser, path).map((doc) => ({ ...doc, __file: relative(root, path) })));
    }
  }
  // What kustomize's `labels` field adds, so selectors written against those labels resolve.
  for (const { pairs = {}, includeTemplates } of kustomization.labels ?? []) {
    for (const o of own) {
      o.metadata = { ...o.metadata, labels: { ...o.metadata?.labels, ...pairs } };
      if (includeTemplates && o.spec?.template?.metadata) {
        o.spec.template.metadata.labels = { ...o.spec.template.metadata.labels, ...pairs };
      }
    }
  }
  objects.push(...own);
  for (const generator of [
    ...(kustomization.configMapGenerator ?? []),
    ...(kustomization.secretGenerator ?? []),
  ]) {
    const data = {};
    for (const literal of generator.literals ?? []) {
      const at = literal.indexOf('=');
      data[literal.slice(0, at)] = literal.slice(at + 1);
    }
    for (const entry of [...(generator.files ?? []), ...(generator.envs ?? [])]) {
      const [key, source] = entry.includes('=') ? entry.split('=') : [entry.split('/').pop(), entry];
      const path = join(dir, source);
      check(existsSync(path), where, `generator ${generator.name}: file ${source} does not exist`);
      if (existsSync(path)) data[key] = readFileSync(path, 'utf8');
    }
    const kind = (kustomization.secretGenerator ?? []).includes(generator) ? 'Secret' : 'ConfigMap';
    if (generator.behavior && generator.behavior !== 'create') continue;
    objects.push({
      apiVersion: 'v1',
      kind,
      metadata: { name: generator.name },
      data,
      __file: relative(root, file),
    });
  }
  for (const patch of kustomization.patches ?? []) {
    if (!patch.path) continue;
    const path = join(dir, patch.path);
    referenced.add(path);
    check(existsSync(path), where, `patch ${patch.path} does not exist`);
  }
  return objects;
}

/** A patch without a target applies to the object it names, which must exist below the overlay. */
function checkOverlayPatches(parser, overlayDir, baseObjects, referenced) {
  const file = join(overlayDir, 'kustomization.yaml');
  referenced.add(file);
  const [kustomization] = readDocs(parser, file);
  const where = relative(root, overlayDir);
  for (const entry of kustomization?.resources ?? []) {
    check(existsSync(join(overlayDir, entry)), where, `resource ${entry} does not exist`);
  }
  for (const generator of [
    ...(kustomization?.configMapGenerator ?? []),
    ...(kustomization?.secretGenerator ?? []),
  ]) {
    for (const entry of [...(generator.files ?? []), ...(generator.envs ?? [])]) {
      const source = entry.includes('=') ? entry.split('=')[1] : entry;
      referenced.add(join(overlayDir, source));
      check(
        existsSync(join(overlayDir, source)),
        where,
        `generator ${generator.name}: ${source} does not exist`,
      );
    }
    if (generator.behavior === 'merge' || generator.behavior === 'replace') {
      check(
        baseObjects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === generator.name),
        where,
        `generator ${generator.name} has behavior ${generator.behavior} but the base has no such ConfigMap`,
      );
    }
  }
  for (const patch of kustomization?.patches ?? []) {
    if (!patch.path) continue;
    const path = join(overlayDir, patch.path);
    referenced.add(path);
    if (!existsSync(path)) {
      fail(where, `patch ${patch.path} does not exist`);
      continue;
    }
    if (patch.target) continue;
    for (const doc of readDocs(parser, path)) {
      check(
        baseObjects.some((o) => o.kind === doc.kind && o.metadata?.name === doc.metadata?.name),
        `${where}/${patch.path}`,
        `patches ${doc.kind} ${doc.metadata?.name}, which the base does not define`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Semantic checks (rendered overlay, or the base as written)
// ---------------------------------------------------------------------------------------------
const matches = (selector, labels) =>
  Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value) &&
  Object.keys(selector ?? {}).length > 0;
const podSpec = (o) => o.spec?.template?.spec;
const id = (o) => `${o.kind} ${o.metadata?.name}${o.__file ? ` (${o.__file})` : ''}`;
const seconds = (value) => {
  const m = /^(\d+)\s*(ms|s|min|h)?$/.exec(String(value).trim());
  if (!m) return NaN;
  return Number(m[1]) * { ms: 0.001, s: 1, min: 60, h: 3600 }[m[2] ?? 's'];
};

function semanticChecks(objects, { rendered, profile }) {
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const workloads = objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind));
  const configMaps = new Set(byKind('ConfigMap').map((o) => o.metadata.name));
  const secrets = new Set(byKind('Secret').map((o) => o.metadata.name));
  const pvcs = new Set(byKind('PersistentVolumeClaim').map((o) => o.metadata.name));
  const hpaTargets = new Set(byKind('HorizontalPodAutoscaler').map((o) => o.spec?.scaleTargetRef?.name));

  const seen = new Set();
  for (const o of objects) {
    const where = id(o);
    check(o.apiVersion && o.kind && o.metadata?.name, where, 'needs apiVersion, kind and metadata.name');
    if (rendered && !CLUSTER_SCOPED.has(o.kind)) check(o.metadata?.namespace, where, 'has no namespace');
    const key = `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    check(!seen.has(key), where, 'is defined twice');
    seen.add(key);
  }

  for (const w of workloads) {
    const where = id(w);
    const spec = podSpec(w);
    const podLabels = w.spec?.template?.metadata?.labels ?? {};
    if (w.kind !== 'Job')
      check(
        matches(w.spec?.selector?.matchLabels, podLabels),
        where,
        'selector does not match its pod labels',
      );
    check(
      spec?.securityContext?.runAsNonRoot === true,
      where,
      'pod must set securityContext.runAsNonRoot: true',
    );
    const volumes = new Map((spec?.volumes ?? []).map((v) => [v.name, v]));
    const claimTemplates = new Set((w.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name));
    for (const v of volumes.values()) {
      if (v.configMap)
        check(
          configMaps.has(v.configMap.name),
          where,
          `volume ${v.name}: ConfigMap ${v.configMap.name} not found`,
        );
      if (v.persistentVolumeClaim)
        check(
          pvcs.has(v.persistentVolumeClaim.claimName),
          where,
          `volume ${v.name}: PVC ${v.persistentVolumeClaim.claimName} not found`,
        );
    }
    for (const [index, c] of (spec?.containers ?? []).entries()) {
      const cw = `${where} container ${c.name}`;
      for (const kind of ['requests', 'limits']) {
        check(
          c.resources?.[kind]?.cpu && c.resources?.[kind]?.memory,
          cw,
          `needs resources.${kind}.cpu and .memory`,
        );
      }
      check(
        c.securityContext?.allowPrivilegeEscalation === false,
        cw,
        'must set allowPrivilegeEscalation: false',
      );
      for (const m of c.volumeMounts ?? []) {
        check(volumes.has(m.name) || claimTemplates.has(m.name), cw, `mounts unknown volume ${m.name}`);
      }
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
        if (e.valueFrom?.configMapKeyRef)
          check(configMaps.has(ref.name), cw, `env ${e.name}: ConfigMap ${ref.name} not found`);
        if (e.valueFrom?.secretKeyRef && !secrets.has(ref.name)) {
          check(
            EXTERNAL_SECRETS.has(ref.name),
            cw,
            `env ${e.name}: Secret ${ref.name} is neither rendered nor a known external Secret`,
          );
          notes.push(`Secret ${ref.name} is not rendered: it must exist in the cluster (${e.name})`);
        }
      }
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef)
          check(
            configMaps.has(from.configMapRef.name),
            cw,
            `envFrom ConfigMap ${from.configMapRef.name} not found`,
          );
      }
      const ports = new Set((c.ports ?? []).flatMap((p) => [p.name, p.containerPort]));
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        const port = c[probe]?.httpGet?.port;
        if (port !== undefined)
          check(ports.has(port), cw, `${probe} uses port ${port}, which the container does not declare`);
      }
      // The main container of every long-running workload is probed (sidecars are exporters).
      if (w.kind !== 'Job' && index === 0) {
        check(c.livenessProbe && c.readinessProbe, cw, 'needs a livenessProbe and a readinessProbe');
      }
      const app = c.env?.find((e) => e.name === 'APP')?.value;
      if (app !== undefined) checkApp(w, c, app, cw, hpaTargets);
    }
  }

  for (const svc of byKind('Service')) {
    const where = id(svc);
    const pods = workloads.filter((w) => matches(svc.spec?.selector, w.spec?.template?.metadata?.labels));
    check(pods.length > 0, where, 'selector matches no workload');
    for (const port of svc.spec?.ports ?? []) {
      if (typeof port.targetPort !== 'string') continue;
      const declared = pods.some((w) =>
        podSpec(w).containers.some((c) => (c.ports ?? []).some((p) => p.name === port.targetPort)),
      );
      check(declared, where, `targetPort ${port.targetPort} is not a declared container port`);
    }
  }
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    const ref = hpa.spec?.scaleTargetRef;
    const target = objects.find((o) => o.kind === ref?.kind && o.metadata?.name === ref?.name);
    check(target, id(hpa), `scaleTargetRef ${ref?.kind} ${ref?.name} not found`);
    check(hpa.spec?.minReplicas <= hpa.spec?.maxReplicas, id(hpa), 'minReplicas exceeds maxReplicas');
    if (profile === 'prod')
      check(hpa.spec?.minReplicas >= 2, id(hpa), 'production needs at least 2 replicas');
  }
  for (const pdb of byKind('PodDisruptionBudget')) {
    const selected = workloads.some((w) =>
      matches(pdb.spec?.selector?.matchLabels, w.spec?.template?.metadata?.labels),
    );
    check(selected, id(pdb), 'selector matches no workload');
  }
  for (const policy of byKind('NetworkPolicy')) {
    const selector = policy.spec?.podSelector?.matchLabels;
    if (selector && !selector['cnpg.io/cluster']) {
      check(
        workloads.some((w) => matches(selector, w.spec?.template?.metadata?.labels)),
        id(policy),
        'podSelector matches no workload',
      );
    }
  }
  check(
    byKind('NetworkPolicy').some(
      (p) => Object.keys(p.spec?.podSelector ?? {}).length === 0 && p.spec?.policyTypes?.includes('Ingress'),
    ),
    'NetworkPolicy',
    'no default-deny ingress policy',
  );
  check(
    byKind('Job').some((j) => j.metadata?.labels?.['app.kubernetes.io/component'] === 'migration'),
    'Job',
    'no migration Job',
  );

  checkPostgres(objects, configMaps, profile);
  checkNats(objects, profile);
  checkRedis(objects);
}

function checkApp(workload, container, app, where, hpaTargets) {
  check(app in APP_PORTS, where, `APP=${app} is not an app of apps/`);
  check(workload.metadata?.name === app, where, `Deployment ${workload.metadata?.name} runs APP=${app}`);
  const portVar = app === 'gateway' ? 'HTTP_PORT' : 'HEALTH_PORT';
  const port = Number(container.env?.find((e) => e.name === portVar)?.value);
  check(port === APP_PORTS[app], where, `${portVar} should be ${APP_PORTS[app]} (got ${port})`);
  check(
    (container.ports ?? []).some((p) => p.containerPort === port),
    where,
    `declares no containerPort ${port} for ${portVar}`,
  );
  check(
    container.livenessProbe?.httpGet?.path === '/health/live',
    where,
    'livenessProbe must GET /health/live',
  );
  check(
    container.readinessProbe?.httpGet?.path === '/health/ready',
    where,
    'readinessProbe must GET /health/ready',
  );
  const grace = workload.spec?.template?.spec?.terminationGracePeriodSeconds ?? 30;
  const shutdownMs = Number(container.env?.find((e) => e.name === 'SHUTDOWN_GRACE_MS')?.value ?? 10_000);
  check(
    grace * 1000 > shutdownMs + 5_000,
    where,
    'terminationGracePeriodSeconds must exceed SHUTDOWN_GRACE_MS + 5 s',
  );
  if (hpaTargets.has(app))
    check(workload.spec?.replicas === undefined, where, 'sets replicas although an HPA owns the count');
}

function checkPostgres(objects, configMaps, profile) {
  const clusters = objects.filter(
    (o) => o.kind === 'Cluster' && o.apiVersion?.startsWith('postgresql.cnpg.io/'),
  );
  check(clusters.length === 1, 'postgres', `expected one CloudNativePG Cluster, found ${clusters.length}`);
  for (const cluster of clusters) {
    const where = id(cluster);
    const spec = cluster.spec ?? {};
    const timeout = seconds(spec.postgresql?.parameters?.archive_timeout ?? '5min');
    check(
      timeout <= RPO_SECONDS / 2,
      where,
      `archive_timeout ${timeout} s leaves no margin under the ${RPO_SECONDS} s RPO`,
    );
    check(
      spec.postgresql?.parameters?.log_min_duration_statement === '100',
      where,
      'log_min_duration_statement must be "100"',
    );
    check(
      Object.keys(spec.postgresql?.parameters ?? {}).some((k) => k.startsWith('pg_stat_statements.')),
      where,
      'no pg_stat_statements.* parameter (CloudNativePG preloads the library only then)',
    );
    for (const ref of spec.monitoring?.customQueriesConfigMap ?? []) {
      check(configMaps.has(ref.name), where, `customQueriesConfigMap ${ref.name} not found`);
    }
    if (spec.backup) {
      const store = spec.backup.barmanObjectStore;
      check(store?.destinationPath, where, 'backup without barmanObjectStore.destinationPath');
      const secretNames = Object.values(store?.s3Credentials ?? {})
        .map((ref) => ref?.name)
        .filter(Boolean);
      for (const name of secretNames.filter(
        (n) => !objects.some((o) => o.kind === 'Secret' && o.metadata?.name === n),
      )) {
        check(
          EXTERNAL_SECRETS.has(name),
          where,
          `backup credentials: Secret ${name} is neither rendered nor a known external Secret`,
        );
        notes.push(`Secret ${name} is not rendered: it must exist in the cluster (backup credentials)`);
      }
    }
    if (profile === 'prod') {
      check(spec.instances >= 3, where, 'production runs 3 instances');
      check(
        spec.backup?.barmanObjectStore,
        where,
        'production needs WAL archiving (backup.barmanObjectStore)',
      );
    }
  }
  for (const backup of objects.filter((o) => o.kind === 'ScheduledBackup')) {
    const where = id(backup);
    const cluster = clusters.find((c) => c.metadata.name === backup.spec?.cluster?.name);
    check(cluster, where, `cluster ${backup.spec?.cluster?.name} not found`);
    check(
      String(backup.spec?.schedule).trim().split(/\s+/).length === 6,
      where,
      'schedule needs six fields (seconds first)',
    );
    check(cluster?.spec?.backup, where, 'the cluster has no backup configuration');
    if (backup.spec?.method === 'volumeSnapshot') {
      check(
        cluster?.spec?.backup?.volumeSnapshot?.className,
        where,
        'volumeSnapshot backups need backup.volumeSnapshot.className',
      );
    }
  }
  if (profile === 'prod') {
    const methods = objects
      .filter((o) => o.kind === 'ScheduledBackup')
      .map((o) => o.spec?.method ?? 'barmanObjectStore');
    check(
      methods.includes('barmanObjectStore') && methods.includes('volumeSnapshot'),
      'ScheduledBackup',
      'production needs daily and snapshot backups',
    );
  }
}

function checkNats(objects, profile) {
  const nats = objects.find((o) => o.kind === 'StatefulSet' && o.metadata?.name === 'nats');
  check(nats, 'nats', 'no NATS StatefulSet');
  if (!nats) return;
  const volume = podSpec(nats).volumes?.find((v) => v.configMap);
  const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === volume?.configMap?.name);
  const text = config?.data?.['nats.conf'] ?? '';
  const where = id(nats);
  const replicas = nats.spec?.replicas ?? 1;
  check(/jetstream\s*\{/.test(text), where, 'nats.conf does not enable JetStream');
  const routes = (text.match(/nats:\/\/nats-\d+\./g) ?? []).length;
  if (replicas > 1) {
    check(
      /cluster\s*\{/.test(text) && routes === replicas,
      where,
      `${replicas} replicas but ${routes} cluster routes in nats.conf`,
    );
  } else {
    check(
      !/cluster\s*\{/.test(text),
      where,
      'a single server with a cluster block never forms a JetStream quorum',
    );
  }
  if (profile === 'prod') check(replicas === 3, where, 'production runs 3 NATS servers');
}

function checkRedis(objects) {
  const redis = objects.find((o) => o.kind === 'StatefulSet' && o.metadata?.name === 'redis');
  check(redis, 'redis', 'no Redis StatefulSet');
  if (!redis) return;
  const volume = podSpec(redis).volumes?.find((v) => v.configMap);
  const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === volume?.configMap?.name);
  const text = config?.data?.['redis.conf'] ?? '';
  check(
    /^maxmemory-policy\s+noeviction\s*$/m.test(text),
    id(redis),
    'redis.conf must set maxmemory-policy noeviction (BullMQ)',
  );
  check(/^appendonly\s+yes\s*$/m.test(text), id(redis), 'redis.conf must set appendonly yes');
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------
function report(label) {
  for (const note of [...new Set(notes)]) console.log(`  note: ${note}`);
  if (errors.length > 0) {
    for (const error of errors) console.error(`  error: ${error}`);
    console.error(`${label}: ${errors.length} error(s) in ${checks} checks`);
    process.exit(1);
  }
  console.log(`${label}: ${checks} checks passed`);
}

const parser = loadParser();
const args = process.argv.slice(2);

if (args[0] === '--rendered') {
  const profile = args[1] ?? 'rendered';
  if (!parser) {
    console.log(`validate-k8s (${profile}): skipped, no YAML parser (js-yaml or yaml) in node_modules`);
    process.exit(0);
  }
  const objects = parser.parseAll(readFileSync(0, 'utf8')).filter(Boolean);
  semanticChecks(objects, { rendered: true, profile });
  report(`validate-k8s (${profile}, ${objects.length} objects, ${parser.name})`);
} else {
  const files = yamlFiles(k8sDir);
  if (!parser) {
    files.forEach(structuralCheck);
    console.log('validate-k8s: no YAML parser (js-yaml or yaml) in node_modules: structural checks only');
    report(`validate-k8s (structure of ${files.length} files)`);
  } else {
    files.forEach((file) => readDocs(parser, file));
    const referenced = new Set();
    const base = loadKustomization(parser, join(k8sDir, 'base'), referenced);
    const overlays = readdirSync(join(k8sDir, 'overlays')).map((name) => join(k8sDir, 'overlays', name));
    for (const overlay of overlays) checkOverlayPatches(parser, overlay, base, referenced);
    for (const file of files.filter((f) => !referenced.has(f))) {
      check(
        /\.template\.ya?ml$/.test(file),
        relative(root, file),
        'is in no kustomization (name it *.template.yaml if that is on purpose)',
      );
    }
    semanticChecks(base, { rendered: false });
    report(
      `validate-k8s (${files.length} files, base of ${base.length} objects, ${overlays.length} overlays, ${parser.name})`,
    );
  }
}
