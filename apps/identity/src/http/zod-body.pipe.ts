import type { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { ApiException } from './api-exception.ts';

/**
 * Validates a request body with a contracts schema: 400 `invalid_request` with zod's field
 * errors as details, or the parsed (trimmed, normalised) value.
 *
 * @example
 * register(@Body(new ZodBodyPipe(registerRequestSchema)) body: z.infer<typeof registerRequestSchema>) {}
 */
export class ZodBodyPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  readonly #schema: S;

  constructor(schema: S) {
    this.#schema = schema;
  }

  transform(value: unknown): z.infer<S> {
    const result = this.#schema.safeParse(value ?? {});
    if (result.success) return result.data;
    throw new ApiException('invalid_request', 'the request body is invalid', { details: z.flattenError(result.error) });
  }
}
