/**
 * Probes until the answer is accepted or the time is up, and returns the last answer either
 * way, so the test's own assertion on it says what was wrong. For state that other processes
 * reach in their own time (discovery, live settings, consumers catching up).
 *
 * @example
 * const instances = await eventually(() => listInstances(bus), (found) => found.length === 2);
 * expect(instances).toHaveLength(2);
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}
