import { CONTROLLER_METRICS, type ControllerMetric, EMF_NAMESPACE } from '@warmpool/core';
import type { LineSink } from '../log/logger.js';

/**
 * One Embedded Metric Format line: CloudWatch Logs turns it into metrics without a PutMetricData call (no
 * extra latency or API failure mode in the tick). Dimension values and metric values are top-level members.
 */
export function emfLine(
  dimensions: Readonly<Record<string, string>>,
  values: Partial<Record<ControllerMetric, number>>,
  timestampMs: number,
): string {
  const metrics = Object.entries(values)
    .filter(([, v]) => typeof v === 'number' && Number.isFinite(v))
    .map(([k]) => ({
      Name: CONTROLLER_METRICS[k as ControllerMetric].name,
      Unit: CONTROLLER_METRICS[k as ControllerMetric].unit,
    }));
  const members: Record<string, unknown> = { ...dimensions };
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === 'number' && Number.isFinite(v))
      members[CONTROLLER_METRICS[k as ControllerMetric].name] = v;
  }
  return JSON.stringify({
    _aws: {
      Timestamp: Math.floor(timestampMs),
      CloudWatchMetrics: [
        { Namespace: EMF_NAMESPACE, Dimensions: [Object.keys(dimensions)], Metrics: metrics },
      ],
    },
    ...members,
  });
}

/** Where EMF lines go: stdout in Lambda (CloudWatch Logs picks them up), an array in tests. */
export interface MetricsEmitter {
  emit(dimensions: Readonly<Record<string, string>>, values: Partial<Record<ControllerMetric, number>>): void;
}

export function emfEmitter(sink: LineSink, now: () => number = Date.now): MetricsEmitter {
  return { emit: (dimensions, values) => sink(emfLine(dimensions, values, now())) };
}

/** Keeps what was emitted as data, for tests. */
export function memoryEmitter(): MetricsEmitter & {
  readonly emitted: {
    dimensions: Record<string, string>;
    values: Partial<Record<ControllerMetric, number>>;
  }[];
} {
  const emitted: { dimensions: Record<string, string>; values: Partial<Record<ControllerMetric, number>> }[] =
    [];
  return {
    emitted,
    emit: (dimensions, values) => emitted.push({ dimensions: { ...dimensions }, values: { ...values } }),
  };
}
