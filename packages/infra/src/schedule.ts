import { SHARD_EVENT_FIELDS } from '@warmpool/core';
import type { Duration } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

export interface ShardScheduleOptions {
  readonly controller: IFunction;
  readonly schedule: Duration;
  readonly minutes: number;
  readonly shards: number;
}

/**
 * One EventBridge rule per shard, each invoking the controller on the same rate. EventBridge is the engine:
 * nothing in the controller schedules, queues or invokes another shard, so one shard failing or running late
 * does not hold up another. With a single shard the rule sends the plain scheduled event, exactly as before
 * sharding existed; with more, an input transformer sends `{ shard, shards, time, id }`, keeping the event's
 * scheduled `time` (the handler decides for that time's window, so a redelivery is recognised) and `id`.
 * The first rule keeps the id `Schedule`, so an existing deployment's rule is not replaced.
 */
export function shardSchedules(scope: Construct, options: ShardScheduleOptions): Rule[] {
  const { controller, schedule, minutes, shards } = options;
  return Array.from({ length: shards }, (_, shard) => {
    const rule = new Rule(scope, shard === 0 ? 'Schedule' : `Schedule${shard}`, {
      schedule: Schedule.rate(schedule),
      description:
        shards === 1
          ? `Runs the Warmpool controller every ${minutes} minute(s)`
          : `Runs shard ${shard} of ${shards} of the Warmpool controller every ${minutes} minute(s)`,
    });
    rule.addTarget(
      new LambdaTarget(controller, {
        // A tick delivered later than one period is stale: the next one is already due.
        maxEventAge: schedule,
        retryAttempts: 2,
        ...(shards === 1
          ? {}
          : {
              event: RuleTargetInput.fromObject({
                [SHARD_EVENT_FIELDS.shard]: shard,
                [SHARD_EVENT_FIELDS.shards]: shards,
                time: EventField.time,
                id: EventField.eventId,
              }),
            }),
      }),
    );
    return rule;
  });
}
