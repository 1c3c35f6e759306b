import { CONTROLLER_METRICS, EMF_NAMESPACE } from '@warmpool/core';
import type { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { ResolvedTarget } from './targets.js';

export interface DashboardOptions {
  readonly targets: readonly ResolvedTarget[];
  /** Every shard's controller. */
  readonly controllers: readonly IFunction[];
  readonly schedule: Duration;
}

/** The controller's EMF dimension for a target: its id, `name:qualifier`. */
function targetDimension(target: ResolvedTarget): Record<string, string> {
  return { Target: `${target.functionName}:${target.qualifier}` };
}

/** Lambda's own concurrency metric for exactly the warmed alias or version (`Resource`), or `$LATEST`. */
function actualConcurrency(target: ResolvedTarget): Metric {
  const dimensionsMap: Record<string, string> = { FunctionName: target.functionName };
  if (target.qualifier !== '$LATEST') dimensionsMap.Resource = `${target.functionName}:${target.qualifier}`;
  return new Metric({
    namespace: 'AWS/Lambda',
    metricName: 'ConcurrentExecutions',
    dimensionsMap,
    statistic: 'Maximum',
    label: 'actual (max concurrency)',
  });
}

/** A label per shard when there are several (CloudWatch's default label would not tell them apart). */
function shardLabel(what: string, index: number, options: DashboardOptions): { label?: string } {
  return options.controllers.length > 1 ? { label: `${what}, shard ${index + 1}` } : {};
}

/**
 * One graph per target: the forecast peak, the warm count decided and reached (the controller's EMF metrics)
 * against the actual concurrency, raw (Lambda's metric, pings included) and as real traffic (the controller's
 * masked peak); and one graph of the controller's errors and duration.
 */
export function warmpoolDashboard(scope: Construct, id: string, options: DashboardOptions): Dashboard {
  const dashboard = new Dashboard(scope, id);
  const warmpool = (target: ResolvedTarget, metric: { name: string }, label: string) =>
    new Metric({
      namespace: EMF_NAMESPACE,
      metricName: metric.name,
      dimensionsMap: targetDimension(target),
      statistic: 'Maximum',
      period: options.schedule,
      label,
    });
  for (const target of options.targets) {
    dashboard.addWidgets(
      new GraphWidget({
        title: `${target.fn.node.path}:${target.qualifier}`,
        width: 12,
        left: [
          warmpool(target, CONTROLLER_METRICS.forecast, 'forecast peak'),
          actualConcurrency(target),
          // Emitted at the next tick for the window before it: one period late on the graph.
          warmpool(target, CONTROLLER_METRICS.observedRealPeak, 'real peak, previous window (pings masked)'),
          warmpool(target, CONTROLLER_METRICS.decided, 'warm count decided'),
          warmpool(target, CONTROLLER_METRICS.reached, 'warm containers reached'),
        ],
        right: [warmpool(target, CONTROLLER_METRICS.throttled, 'ping throttles')],
      }),
    );
  }
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Warmpool controller',
      width: 12,
      left: options.controllers.map((c, i) =>
        c.metricErrors({ period: options.schedule, statistic: 'Sum', ...shardLabel('errors', i, options) }),
      ),
      right: options.controllers.map((c, i) =>
        c.metricDuration({
          period: options.schedule,
          statistic: 'Maximum',
          ...shardLabel('duration', i, options),
        }),
      ),
    }),
  );
  return dashboard;
}
