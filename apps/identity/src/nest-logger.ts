import type { LoggerService } from '@nestjs/common';
import type { Logger } from '@tonearm/runtime';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Sends Nest's own log lines (module start-up, lifecycle errors) to the service's pino logger,
 * so the process writes one JSON format. Nest passes the context as the last string argument
 * and, for errors, a stack before it.
 *
 * @example
 * NestFactory.createApplicationContext(module, { logger: new NestLogger(service.logger) });
 */
export class NestLogger implements LoggerService {
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  log(message: unknown, ...params: unknown[]): void {
    this.#write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.#write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.#write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.#write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.#write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.#write('fatal', message, params);
  }

  #write(level: Level, message: unknown, params: unknown[]): void {
    const rest = [...params];
    const context = rest.length > 0 && typeof rest.at(-1) === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = { component: 'nest', ...(context ? { context } : {}) };
    if (level === 'error' || level === 'fatal') {
      const stack = rest.find((param): param is string => typeof param === 'string');
      if (stack) fields.stack = stack;
    }
    if (message instanceof Error) {
      this.#logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'string') {
      this.#logger[level](fields, message);
    } else {
      this.#logger[level]({ ...fields, data: message }, 'nest');
    }
  }
}
