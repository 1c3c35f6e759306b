import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { build } from './stacks.js';

const FAULT_METRICS = ['TargetFailed', 'DecisionWriteFailed', 'ShortRound', 'HelperMissing'];

describe('the fault alarms (issue 11: a tick does not fail for these, so Errors alone stays quiet)', () => {
  it.each(FAULT_METRICS)(
    'alarms on the per-tick %s sum in the Warmpool namespace, without dimensions',
    (name) => {
      const { stack } = build();
      Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Warmpool',
        MetricName: name,
        Dimensions: Match.absent(),
        Period: 300,
        Statistic: 'Sum',
        Threshold: 1,
        EvaluationPeriods: 2,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmDescription: Match.stringLikeRegexp(`\\(${name}\\)`),
      });
    },
  );

  it('follow the schedule and the alarm options, and are all left out with alarm: false', () => {
    const tuned = build({ alarm: { evaluationPeriods: 3 }, schedule: Duration.minutes(1) });
    const template = Template.fromStack(tuned.stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1 + FAULT_METRICS.length);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ShortRound',
      Period: 60,
      EvaluationPeriods: 3,
    });
    expect(Object.keys(tuned.warmpool.faultAlarms ?? {}).sort()).toEqual([
      'decisionWriteFailed',
      'helperMissing',
      'shortRound',
      'targetFailed',
    ]);
    const none = build({ alarm: false });
    Template.fromStack(none.stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(none.warmpool.faultAlarms).toBeUndefined();
  });
});
