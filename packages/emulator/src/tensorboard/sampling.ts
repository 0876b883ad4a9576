/**
 * At most `max` points, evenly spread over the series and always including the last one (Vertex reads
 * 1000 points by default; like TensorBoard's reservoir it keeps the latest value, so a live chart ends at
 * the newest step).
 */
export function samplePoints<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  if (max <= 1) return points.slice(-1);
  const picked: T[] = [];
  const stride = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) picked.push(points[Math.round(i * stride)]!);
  return picked;
}
