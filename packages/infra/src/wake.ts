import { createHash } from 'node:crypto';
import { DEFAULT_TARGET, parseFunctionRef, ValidationError } from '@warmpool/core';
import { Annotations, ArnFormat, CfnResource, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import {
  CfnFunction,
  CfnPermission,
  type IFunction,
  Function as LambdaFunction,
} from 'aws-cdk-lib/aws-lambda';
import { CfnSubscriptionFilter } from 'aws-cdk-lib/aws-logs';
import type { Construct, IConstruct } from 'constructs';
import type { WarmpoolTarget } from './props.js';

/**
 * Wake on cold starts: a CloudWatch Logs subscription filter on each target's log group delivers the helper's
 * cold-start EMF lines (`{"_aws":…,"UserColdStart":1}`) to the wake function of the shard holding the target (a
 * small function beside its controller, never the controller itself), which adds them to the target's wake
 * mark; the shard's next tick reads a deferred target at once when enough came in.
 */

/** The wake function's memory: it decodes one small delivery and writes a wake mark or two. */
export const WAKE_MEMORY_MB = 128;

/** The wake function's timeout: one delivery is a gunzip, a JSON parse and one UpdateItem per woken target. */
export const WAKE_TIMEOUT = Duration.seconds(10);

/**
 * The wake function's reserved concurrency. Every new container of a target writes its cold-start line to a log
 * stream of its own, so a scale-out of hundreds of containers is hundreds of deliveries at once: capped at 2,
 * the burst waits in the delivery's retry queue (it is retried, not lost) instead of taking hundreds of
 * executions from the account's concurrency, which the users' own functions need at that very moment. The
 * controller is never the destination: its reserved concurrency of 1 would throttle its scheduled ticks.
 */
export const WAKE_RESERVED_CONCURRENCY = 2;

/** The acknowledgement id of the synth warning for a target that gets no subscription (see `targetLogGroup`). */
export const WAKE_WARNING_ID = '@warmpool/infra:wakeOnColdStarts';

/** What a subscription filter's JSON pattern may name: `$.NAME` with NAME a plain identifier. */
const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where a target's cold-start lines are written, or why the construct cannot subscribe to it. */
export type TargetLogGroup =
  | {
      /** The log group's name for the filter (a token for a log group of this app). */
      readonly name: string;
      /** The name for the controller's config, when it is not core's default (`/aws/lambda/NAME`). */
      readonly configName: string | undefined;
    }
  | { readonly skip: string };

/** One subscription filter: a distinct log group among a shard's targets, and the metric names it matches. */
export interface WakeSubscription {
  readonly logGroupName: string;
  readonly metricNames: readonly string[];
  /** A stable key of the log group (its name as CloudFormation sees it), for the filter's construct id. */
  readonly key: string;
}

/**
 * The log group of a target's function, without side effects on the user's function:
 * - a function of this app with a log group the app manages (its `logGroup` prop, `logRetention`, or the feature
 *   flag `@aws-cdk/aws-lambda:useCdkManagedLogGroup`): that log group, which CloudFormation creates before the
 *   filter (the filter refers to it);
 * - a function of this app without one: none. Lambda creates `/aws/lambda/NAME` only at the function's first
 *   invocation, so a filter on it would fail the first deployment; and `fn.logGroup` would add a LogRetention
 *   custom resource that sets the user's log group to never expire;
 * - a function defined elsewhere (imported by ARN or name): Lambda's default `/aws/lambda/NAME`, which exists
 *   once the function has run (a function worth warming has);
 * - a function in another account or region: none, a subscription delivers only within its own.
 */
export function targetLogGroup(fn: IFunction, stack: Stack): TargetLogGroup {
  const env = fn.env;
  const differs = (a: string, b: string) => !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
  if (differs(env.account, stack.account) || differs(env.region, stack.region)) {
    return {
      skip: `it is in another account or region (${env.account}, ${env.region}): a log subscription delivers only to a function of its own`,
    };
  }
  if (fn instanceof LambdaFunction) {
    const custom = configuredLogGroup(fn);
    const managed =
      custom !== undefined ||
      fn.node.tryFindChild('LogGroup') !== undefined ||
      fn.node.tryFindChild('LogRetention') !== undefined;
    if (!managed) {
      return {
        skip: "it has no log group this app manages, and Lambda creates its default one only at the function's first invocation, so a subscription filter on it could fail the deployment. Give the function a `logGroup` (or turn on the feature flag @aws-cdk/aws-lambda:useCdkManagedLogGroup)",
      };
    }
    // Safe here: the function already holds its log group, so the getter creates nothing.
    const name = fn.logGroup.logGroupName;
    const fallback = Token.isUnresolved(fn.functionName) ? undefined : `/aws/lambda/${fn.functionName}`;
    return { name, configName: custom === undefined || custom === fallback ? undefined : name };
  }
  if (fn.node.findAll().some((c) => CfnResource.isCfnResource(c))) {
    return {
      skip: 'it is defined in this app by a construct other than lambda.Function, whose log group the construct cannot tell',
    };
  }
  const ref = Token.isUnresolved(fn.functionArn) ? undefined : parseFunctionRef(fn.functionArn);
  return { name: `/aws/lambda/${ref?.name ?? fn.functionName}`, configName: undefined };
}

/** The log group set in the function's logging config (its `logGroup` prop), if any. */
function configuredLogGroup(fn: LambdaFunction): string | undefined {
  const cfn = fn.node.defaultChild;
  if (!(cfn instanceof CfnFunction)) return undefined;
  const logging = cfn.loggingConfig;
  if (logging === undefined || Token.isUnresolved(logging)) return undefined;
  const { logGroup } = logging as CfnFunction.LoggingConfigProperty;
  return typeof logGroup === 'string' ? logGroup : undefined;
}

/** The cold-start metric name a target's filter matches: its own, or core's default. */
export function coldStartMetricName(target: WarmpoolTarget): unknown {
  return target.coldStartMetric?.name ?? DEFAULT_TARGET.coldStartMetric.name;
}

/**
 * Reports a metric name that a JSON filter pattern cannot name as `$.NAME`. A name that is not a string is
 * left to core's check, which reports it already.
 */
export function checkWakeMetricName(
  name: unknown,
  index: number,
  report: (issue: ValidationError) => void,
): name is string {
  if (typeof name !== 'string') return false;
  if (!Token.isUnresolved(name) && PLAIN_IDENTIFIER.test(name)) return true;
  report(
    new ValidationError(
      `targets[${index}].coldStartMetric.name`,
      "must be a plain identifier (letters, digits, _) while wakeOnColdStarts is on: the log subscription's JSON filter pattern names it",
      { detail: `got ${JSON.stringify(name)}; or set wakeOnColdStarts: false` },
    ),
  );
  return false;
}

/** Warns at synth that a target gets no subscription, naming it and why; acknowledge by WAKE_WARNING_ID. */
export function warnNoSubscription(scope: IConstruct, index: number, fn: IFunction, reason: string): void {
  Annotations.of(scope).addWarningV2(
    WAKE_WARNING_ID,
    `wakeOnColdStarts: targets[${index}] (${fn.node.path}) gets no cold-start subscription, so its deferred metric reads wait out their back-off: ${reason}; or set wakeOnColdStarts: false.`,
  );
}

/**
 * The subscriptions of one shard: one per distinct log group among its targets (two aliases of one function
 * write to one log group), matching every cold-start metric name those targets use. `entries` are the shard's
 * targets that get one, in target order.
 */
export function planSubscriptions(
  stack: Stack,
  entries: ReadonlyArray<{ readonly logGroupName: string; readonly metricName: string }>,
): WakeSubscription[] {
  const byKey = new Map<string, { logGroupName: string; metricNames: string[] }>();
  for (const { logGroupName, metricName } of entries) {
    const key = JSON.stringify(stack.resolve(logGroupName));
    const known = byKey.get(key);
    if (!known) byKey.set(key, { logGroupName, metricNames: [metricName] });
    else if (!known.metricNames.includes(metricName)) known.metricNames.push(metricName);
  }
  return [...byKey].map(([key, s]) => ({ ...s, key }));
}

/** `{ $.UserColdStart = 1 }`, or each name in parentheses joined by `||` when the targets differ. */
export function filterPattern(metricNames: readonly string[]): string {
  if (metricNames.length === 1) return `{ $.${metricNames[0]} = 1 }`;
  return `{ ${metricNames.map((n) => `($.${n} = 1)`).join(' || ')} }`;
}

/** What `wakeSubscriptions` created for one shard. */
export interface WakeResources {
  /** The wake function's resource-policy statement for CloudWatch Logs. */
  readonly permission: CfnPermission;
  readonly filters: readonly CfnSubscriptionFilter[];
}

/**
 * One `lambda:InvokeFunction` permission for `logs.amazonaws.com` on the shard's wake function, for every log
 * group of the account and region (a statement per filter would soon fill the function's 20 KB resource policy),
 * and one subscription filter per log group delivering to it, created after the permission:
 * PutSubscriptionFilter test-invokes the destination and fails without it.
 */
export function wakeSubscriptions(
  scope: Construct,
  destination: IFunction,
  subscriptions: readonly WakeSubscription[],
): WakeResources {
  const stack = Stack.of(scope);
  const permission = new CfnPermission(scope, 'WakePermission', {
    action: 'lambda:InvokeFunction',
    functionName: destination.functionArn,
    principal: 'logs.amazonaws.com',
    sourceAccount: stack.account,
    sourceArn: stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  });
  const filters = subscriptions.map((s) => {
    const hash = createHash('sha256').update(s.key).digest('hex').slice(0, 12).toUpperCase();
    const filter = new CfnSubscriptionFilter(scope, `Wake${hash}`, {
      logGroupName: s.logGroupName,
      destinationArn: destination.functionArn,
      filterPattern: filterPattern(s.metricNames),
    });
    // Unique within the log group (another shard or construct may subscribe it too) and stable: it changes
    // exactly when the logical id does, so a replacement never deletes the filter that replaced it.
    filter.filterName = `warmpool-wake-${Names.uniqueId(filter)}`;
    filter.node.addDependency(permission);
    return filter;
  });
  return { permission, filters };
}
