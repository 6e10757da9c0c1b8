/**
 * Thrown by an event handler when the work may succeed later (a service is down, a lock is
 * held): the message is delivered again after a growing delay, until the consumer's last
 * allowed delivery, and then dead-lettered.
 *
 * @example
 * if (!(await storage.isReachable())) throw new TransientError('storage unreachable');
 */
export class TransientError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/**
 * Thrown by an event handler when retrying can never help (the input is wrong for good): the
 * message is dead-lettered at once with the reason `permanent-failure`.
 *
 * @example
 * if (!isAudio(probe)) throw new PermanentError('the source object is not an audio file');
 */
export class PermanentError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentError';
  }
}
