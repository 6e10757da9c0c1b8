import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Series prom-client's default metrics provide in every process (`collectDefaultMetrics`). */
const DEFAULT_METRIC_PREFIXES = ['process_', 'nodejs_'];
const HISTOGRAM_SUFFIXES = /_(bucket|sum|count)$/;
const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
]);

/**
 * The metric names a PromQL expression reads: identifiers that are not functions (followed by
 * `(`), keywords, label names (inside `{}` or `by (...)`) or durations.
 *
 * @example
 * metricNamesOf('sum by (type) (rate(bus_events_published_total{type="x"}[5m]))'); // ['bus_events_published_total']
 */
export function metricNamesOf(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = new Set<string>();
  for (const match of bare.matchAll(/([a-zA-Z_:][\w:]*)\s*(\()?/g)) {
    const [, name, call] = match;
    if (!call && !PROMQL_WORDS.has(name!) && !/^\d/.test(name!)) names.add(name!);
  }
  return [...names];
}

/**
 * Every metric name registered in the TypeScript sources under the given folders
 * (`name: 'something_total'` in a prom-client constructor).
 */
export function definedMetricNames(folders: readonly string[]): Set<string> {
  const names = new Set<string>();
  const visit = (path: string) => {
    for (const entry of readdirSync(path)) {
      if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
      const full = join(path, entry);
      if (statSync(full).isDirectory()) visit(full);
      else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts')) {
        for (const match of readFileSync(full, 'utf8').matchAll(/\bname:\s*'([a-z_:][a-z0-9_:]*)'/g))
          names.add(match[1]!);
      }
    }
  };
  for (const folder of folders) visit(folder);
  return names;
}

interface DashboardPanel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: DashboardPanel[];
}

/**
 * Problems of a Grafana dashboard: panels without a query, and queries reading a metric no
 * service registers (histogram suffixes and prom-client's default metrics are understood).
 *
 * @example
 * checkDashboard({ panels: [{ title: 'x', targets: [{ expr: 'rate(nope_total[1m])' }] }] }, new Set()); // ['... nope_total ...']
 */
export function checkDashboard(dashboard: unknown, defined: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const panels = (dashboard as { panels?: DashboardPanel[] }).panels;
  if (!Array.isArray(panels) || panels.length === 0) return ['grafana dashboard: no panels'];
  const walk = (list: DashboardPanel[]) => {
    for (const panel of list) {
      if (panel.panels) walk(panel.panels);
      const exprs = (panel.targets ?? []).map((t) => t.expr ?? '').filter(Boolean);
      if (exprs.length === 0 && !panel.panels) problems.push(`grafana panel "${panel.title}": no query`);
      for (const name of exprs.flatMap(metricNamesOf)) {
        const base = name.replace(HISTOGRAM_SUFFIXES, '');
        const known = defined.has(name) || defined.has(base) || DEFAULT_METRIC_PREFIXES.some((p) => name.startsWith(p));
        if (!known) problems.push(`grafana panel "${panel.title}": no service registers the metric ${name}`);
      }
    }
  };
  walk(panels);
  return problems;
}

/**
 * Problems of the Prometheus configuration: every service's ops port must be scraped by a job.
 *
 * @example
 * checkPrometheus({ scrape_configs: [] }, { edge: 9105 }); // ['deploy/prometheus.yml: nothing scrapes edge on its ops port 9105']
 */
export function checkPrometheus(document: unknown, opsPorts: Readonly<Record<string, number>>): string[] {
  const jobs =
    (
      document as {
        scrape_configs?: {
          job_name?: string;
          dns_sd_configs?: { port?: number }[];
          static_configs?: { targets?: string[] }[];
        }[];
      }
    ).scrape_configs ?? [];
  return Object.entries(opsPorts)
    .filter(([service, port]) => {
      const job = jobs.find((j) => j.job_name === service);
      const ports = [
        ...(job?.dns_sd_configs ?? []).map((c) => c.port),
        ...(job?.static_configs ?? []).flatMap((c) => (c.targets ?? []).map((t) => Number(t.split(':').pop()))),
      ];
      return !ports.includes(port);
    })
    .map(([service, port]) => `deploy/prometheus.yml: nothing scrapes ${service} on its ops port ${port}`);
}
