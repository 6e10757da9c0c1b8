export * from './context/request-context.ts';
export * from './logging/logger.ts';
export * from './config/env-config.ts';
export * from './metrics/metrics-registry.ts';
export * from './health/health-checks.ts';
export * from './ops-server/ops-server.ts';
export * from './metrics/http-request-metrics.ts';
