import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { ResolvedTarget } from './targets.js';

/**
 * The DynamoDB actions the controller's decision store uses (conditional PutItem per window, GetItem with
 * consistent read, UpdateItem for the outcome, Query for past decisions, BatchGetItem for every target's wake
 * mark in one call per tick; the wake function writes the marks), and nothing else: no Scan, no DeleteItem, no
 * batch writes.
 */
export const DECISION_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
] as const;

/**
 * The DynamoDB actions of the wake function (`wakeOnColdStarts`): UpdateItem, which adds a delivery's cold starts
 * to a target's wake mark (`ADD`, atomic), and nothing else: it reads no decision and writes no window.
 */
export const WAKE_TABLE_ACTIONS = ['dynamodb:UpdateItem'] as const;

/**
 * Actions that support no resource-level permissions, so their statement must name `*`. GetMetricData reads the
 * targets' Lambda metrics and cold-start metric (every tick). GetAccountSettings reads the account's unreserved
 * concurrency, which the controller asks for only when a target budgets with `source: 'unreserved'`, so it is
 * granted only then.
 */
export const METRICS_ACTION = 'cloudwatch:GetMetricData';
export const ACCOUNT_SETTINGS_ACTION = 'lambda:GetAccountSettings';

export interface ControllerPermissions {
  readonly role: IRole;
  readonly logGroup: ILogGroup;
  readonly table: ITable;
  readonly targets: readonly ResolvedTarget[];
  /** Whether some target budgets against the account's unreserved concurrency. */
  readonly readsAccountSettings: boolean;
}

/**
 * ARNs per statement. The CDK moves statements that overflow a role's inline policy (10,240 characters) into
 * managed policies of at most 6,144, but cannot split a statement: 40 ARNs of at most about 140 characters keep
 * every statement movable.
 */
export const MAX_ARNS_PER_STATEMENT = 40;

/** Least privilege for the controller; every statement names exactly the resources it acts on. */
export function grantControllerPermissions(permissions: ControllerPermissions): void {
  const { role, logGroup, table, targets } = permissions;
  // Exactly the qualified ARNs: the role cannot invoke $LATEST or another alias of the same function.
  chunks(unique(targets.flatMap((t) => t.invokeArns))).forEach((resources, i) => {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: sid('InvokeWarmTargets', i),
        actions: ['lambda:InvokeFunction'],
        resources,
      }),
    );
  });
  // Reserved concurrency is a property of the function, so this takes the unqualified ARN.
  chunks(unique(targets.map((t) => t.functionArn))).forEach((resources, i) => {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: sid('ReadTargetConcurrency', i),
        actions: ['lambda:GetFunctionConcurrency'],
        resources,
      }),
    );
  });
  const accountLevel = permissions.readsAccountSettings
    ? [METRICS_ACTION, ACCOUNT_SETTINGS_ACTION]
    : [METRICS_ACTION];
  role.addToPrincipalPolicy(
    new PolicyStatement({ sid: 'ReadMetricsAndAccountLimits', actions: accountLevel, resources: ['*'] }),
  );
  table.grant(role, ...DECISION_TABLE_ACTIONS);
  table.encryptionKey?.grantEncryptDecrypt(role);
  role.addToPrincipalPolicy(ownLogsStatement(logGroup));
}

/** Its own log group only, instead of the AWSLambdaBasicExecutionRole managed policy (every log group). */
function ownLogsStatement(logGroup: ILogGroup): PolicyStatement {
  return new PolicyStatement({
    sid: 'WriteOwnLogs',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [logGroup.logGroupArn],
  });
}

export interface WakePermissions {
  readonly role: IRole;
  readonly logGroup: ILogGroup;
  readonly table: ITable;
}

/**
 * Least privilege for a wake function: its own logs, and UpdateItem on the decision table (with its key, when
 * the table is encrypted with one). No Lambda and no CloudWatch actions: it invokes and reads nothing.
 */
export function grantWakePermissions(permissions: WakePermissions): void {
  const { role, logGroup, table } = permissions;
  table.grant(role, ...WAKE_TABLE_ACTIONS);
  table.encryptionKey?.grantEncryptDecrypt(role);
  role.addToPrincipalPolicy(ownLogsStatement(logGroup));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function chunks(values: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < values.length; i += MAX_ARNS_PER_STATEMENT) {
    out.push(values.slice(i, i + MAX_ARNS_PER_STATEMENT));
  }
  return out;
}

/** The first statement keeps its plain Sid, so a small deployment's policy reads as it always did. */
function sid(base: string, index: number): string {
  return index === 0 ? base : `${base}${index + 1}`;
}
