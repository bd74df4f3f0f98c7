/**
 * One sample of a Prometheus text exposition (`GET /metrics`): the value of `name{labels}`, null
 * when the relay does not report it. `labels` as the exposition writes them: `state="pending"`.
 */
export function metricSample(text: string, name: string, labels = ''): number | null {
  const escaped = `${name}${labels ? `{${labels}}` : ''}`.replace(/[{}"+.]/g, (c) => `\\${c}`);
  const match = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
}
