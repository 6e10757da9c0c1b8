import type { InstanceHealth } from '@tonearm/contracts';

/** The result of one health check. */
export interface CheckResult {
  status: 'ok' | 'degraded' | 'failing';
  detail?: string;
}

/** A named probe of something the process needs. */
export type HealthCheck = () => Promise<CheckResult> | CheckResult;

/**
 * Runs every check at once, each bounded by `timeoutMs` (a check that hangs or throws is
 * failing), and folds them into the instance's health: failing if any fails, degraded if any
 * is degraded, ok otherwise.
 */
export async function runHealthChecks(checks: Record<string, HealthCheck>, timeoutMs = 2_000): Promise<InstanceHealth> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<CheckResult>((resolve) => {
        timer = setTimeout(() => resolve({ status: 'failing', detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
      });
      try {
        return [name, await Promise.race([Promise.resolve().then(check), timeout])];
      } catch (error) {
        return [name, { status: 'failing', detail: error instanceof Error ? error.message : String(error) }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const statuses = entries.map(([, result]) => result.status);
  const status = statuses.includes('failing') ? 'failing' : statuses.includes('degraded') ? 'degraded' : 'ok';
  return { status, checks: Object.fromEntries(entries) };
}
