/**
 * What of an error may go to the log. A failed drizzle query carries its parameters (a password
 * hash, a token hash) in its message: only the SQL text and the driver's cause are kept.
 *
 * @example
 * logger.error({ err: loggableError(error) }, 'request failed');
 */
export function loggableError(error: unknown): unknown {
  if (!(error instanceof Error) || !('query' in error) || !('params' in error)) return error;
  const cause = error.cause as { message?: unknown; code?: unknown } | undefined;
  return {
    type: error.name,
    message: `query failed: ${String(error.query)}`,
    // The stack starts with the message, parameters included: keep only its frames.
    stack: error.stack
      ?.split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .join('\n'),
    cause: { message: cause?.message, code: cause?.code },
  };
}
