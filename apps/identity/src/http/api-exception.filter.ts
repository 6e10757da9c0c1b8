import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Logger } from '@tonearm/runtime';
import { LOGGER } from '../service-host.providers.ts';
import { errorResponse } from './error-response.ts';
import { loggableError } from './loggable-error.ts';

interface ResponseLike {
  headersSent: boolean;
  status(code: number): ResponseLike;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}

/** Sends every error as `{"error": {"code", "message", "details?"}}` with the status of its code. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  readonly #logger: Logger;

  constructor(@Inject(LOGGER) logger: Logger) {
    this.#logger = logger;
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ResponseLike>();
    const answer = errorResponse(exception);
    if (answer.unexpected) this.#logger.error({ err: loggableError(exception) }, 'request failed');
    else if (answer.status === 503)
      this.#logger.warn({ err: loggableError(exception) }, 'request refused: a store is unavailable');
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
    response.status(answer.status).json(answer.body);
  }
}
