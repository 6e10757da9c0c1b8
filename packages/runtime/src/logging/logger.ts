import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { currentContext, parseTraceparent } from '../context/request-context.ts';

/** What identifies the process on every log line. */
export interface LoggerOptions {
  service: string;
  instanceId: string;
  level?: LevelWithSilent;
  /** Where lines go; standard output by default. */
  destination?: DestinationStream;
}

/**
 * A pino JSON logger that puts the service, the instance and the current correlation and trace
 * ids on every line, so one upload can be followed across services.
 *
 * @example
 * const logger = createLogger({ service: 'transcoder', instanceId });
 * runWithContext({ correlationId }, () => logger.info('started')); // {"correlationId": ..., "msg": "started"}
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service, instance: options.instanceId },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const context = currentContext();
        if (!context) return {};
        const trace = parseTraceparent(context.traceparent);
        return {
          ...(context.correlationId ? { correlationId: context.correlationId } : {}),
          ...(trace ? { traceId: trace.traceId } : {}),
        };
      },
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'refreshToken',
          '*.refreshToken',
          'authorization',
          '*.authorization',
        ],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}

export type { Logger } from 'pino';
