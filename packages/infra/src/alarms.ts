import { CONTROLLER_METRICS, EMF_NAMESPACE, TICK_FAULT_METRICS, type TickFaultMetric } from '@warmpool/core';
import type { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

/** What each fault alarm says when it fires. */
const DESCRIPTIONS: Readonly<Record<TickFaultMetric, string>> = {
  targetFailed:
    'Warmpool: a target failed or timed out in a tick (TargetFailed), so it was not warmed as decided',
  decisionWriteFailed:
    'Warmpool: decision writes to DynamoDB were lost (DecisionWriteFailed); the targets were warmed anyway',
  shortRound: 'Warmpool: warm rounds reached fewer distinct containers than decided (ShortRound)',
  helperMissing:
    'Warmpool: warm pings were answered without the Warmpool protocol (HelperMissing): is withWarmup installed in the target handler?',
};

/**
 * One alarm per fault metric. `runTick` never throws for a dependency failure, so the controller's `Errors`
 * stay at 0 while it loses writes or warms short: these watch the metrics that say so. Each reads the per-tick
 * line the controller emits without dimensions (summed over targets), since target ids may be tokens here.
 */
export function faultAlarms(
  scope: Construct,
  options: { readonly period: Duration; readonly evaluationPeriods: number },
): Readonly<Record<TickFaultMetric, Alarm>> {
  const alarms = {} as Record<TickFaultMetric, Alarm>;
  for (const key of TICK_FAULT_METRICS) {
    const { name } = CONTROLLER_METRICS[key];
    alarms[key] = new Alarm(scope, `${name}Alarm`, {
      alarmDescription: DESCRIPTIONS[key],
      metric: new Metric({
        namespace: EMF_NAMESPACE,
        metricName: name,
        statistic: 'Sum',
        period: options.period,
      }),
      threshold: 1,
      evaluationPeriods: options.evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No line means no tick ran: the Errors alarm and the schedule cover that, not these.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
  return alarms;
}
