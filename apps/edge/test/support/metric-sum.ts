/**
 * The sum of a Prometheus metric's series (with or without labels) in an ops server's `/metrics`.
 *
 * @example
 * await metricSum(instance.opsUrl, 'edge_segment_cache_bytes'); // 33554432
 */
export async function metricSum(opsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  const lines = text.split('\n').filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`));
  return lines.reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}
