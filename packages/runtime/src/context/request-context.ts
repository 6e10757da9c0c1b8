import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** What follows one unit of work (a request, an event) across functions, log lines and services. */
export interface RequestContext {
  correlationId?: string;
  causationId?: string;
  /** W3C trace context of the current span. */
  traceparent?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the work in progress, if any. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` with `context` as the current context; logs and published events inside it carry
 * its correlation id and trace.
 *
 * @example
 * await runWithContext({ correlationId: event.correlationId }, () => handle(event));
 */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The parts of a valid W3C `traceparent` header, or undefined for anything else. */
export function parseTraceparent(
  header: string | undefined,
): { traceId: string; spanId: string; flags: string } | undefined {
  const match = header ? TRACEPARENT.exec(header) : null;
  if (!match || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return undefined;
  return { traceId: match[1]!, spanId: match[2]!, flags: match[3]! };
}

/** A `traceparent` that starts a new trace. */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/** A `traceparent` for a new span in the parent's trace, or a new trace when the parent is absent or invalid. */
export function childTraceparent(parent: string | undefined): string {
  const parsed = parseTraceparent(parent);
  if (!parsed) return newTraceparent();
  return `00-${parsed.traceId}-${randomBytes(8).toString('hex')}-${parsed.flags}`;
}
