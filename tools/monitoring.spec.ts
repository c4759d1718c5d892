/**
 * Issue 10: the Grafana dashboard and the PrometheusRule read only series the apps export. Every
 * `tn1_` metric they name is declared in the code (a prom-client metric of that name), every label
 * they group or filter by is one of that metric's labels (or the `service` label every app adds),
 * and every dashboard panel has a query.
 */
import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const DASHBOARD = join(ROOT, 'k8s/base/monitoring/grafana-dashboard.json');
const RULES = join(ROOT, 'k8s/base/monitoring/prometheusrule.yaml');

/** Every prom-client metric the apps and libs declare: name → its labels. */
function declaredMetrics(): Map<string, Set<string>> {
  const metrics = new Map<string, Set<string>>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (entry === 'node_modules' || entry === 'generated') continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.spec.ts')) {
        const source = readFileSync(path, 'utf8');
        for (const m of source.matchAll(/name: '(tn1_[a-z_]+)',[\s\S]{0,200}?labelNames: \[([^\]]*)\]/g)) {
          const labels = [...m[2].matchAll(/'([a-z_]+)'/g)].map((l) => l[1]);
          metrics.set(m[1], new Set(labels));
        }
      }
    }
  };
  walk(join(ROOT, 'apps'));
  walk(join(ROOT, 'libs'));
  return metrics;
}

/** The tn1_ selectors of a PromQL expression and the labels it groups by. */
function usesOf(expr: string): { metric: string; labels: string[] }[] {
  const grouped = [...expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => m[1].split(',').map((l) => l.trim()));
  return [...expr.matchAll(/(tn1_[a-z_]+?)(_count|_bucket|_sum)?(\{([^}]*)\})?(?![a-z_])/g)].map((m) => ({
    metric: m[1],
    labels: [
      ...[...(m[4] ?? '').matchAll(/([a-z_]+)\s*(=~|!=|=)/g)].map((l) => l[1]),
      ...grouped.filter((l) => l !== 'le'),
    ],
  }));
}

describe('monitoring reads what the apps export', () => {
  const declared = declaredMetrics();

  it('finds the declared metrics', () => {
    for (const name of [
      'tn1_request_duration_seconds',
      'tn1_queue_jobs',
      'tn1_db_pool_connections',
      'tn1_jobs_total',
    ])
      assert.ok(declared.has(name), name);
  });

  const check = (where: string, expr: string) => {
    for (const use of usesOf(expr)) {
      const labels = declared.get(use.metric);
      assert.ok(labels, `${where}: ${use.metric} is exported by no app`);
      for (const label of use.labels) {
        assert.ok(label === 'service' || labels.has(label), `${where}: ${use.metric} has no label ${label}`);
      }
    }
  };

  it('every dashboard panel queries declared series by their labels', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      uid: string;
      panels: { title: string; targets?: { expr?: string }[] }[];
    };
    assert.ok(dashboard.uid);
    assert.ok(dashboard.panels.length >= 10);
    for (const panel of dashboard.panels) {
      assert.ok(panel.targets?.length, `${panel.title} has no query`);
      for (const target of panel.targets ?? []) {
        assert.ok(target.expr, `${panel.title}: a target without expr`);
        check(panel.title, target.expr);
      }
    }
  });

  it('every alert on tn1_ series reads declared series by their labels', () => {
    const exprs = [...readFileSync(RULES, 'utf8').matchAll(/expr: (\|\n((?: {12}.*\n)+)|.*)/g)].map((m) =>
      (m[2] ?? m[1]).replace(/\s+/g, ' '),
    );
    assert.ok(exprs.some((e) => e.includes('tn1_request_duration_seconds')));
    for (const expr of exprs) check('PrometheusRule', expr);
  });
});
