import { parseFunctionRef, ValidationError } from '@warmpool/core';
import { Stack, Token } from 'aws-cdk-lib';
import {
  CfnFunction,
  type IAlias,
  type IFunction,
  type IVersion,
  Function as LambdaFunction,
} from 'aws-cdk-lib/aws-lambda';
import type { WarmpoolTarget } from './props.js';

/** What the construct needs to know about one target, resolved from its `IFunction`/`IAlias`. */
export interface ResolvedTarget {
  /** The unqualified function (never the alias or version object). */
  readonly fn: IFunction;
  /** The unqualified function ARN (a token when the function is defined in this app). */
  readonly functionArn: string;
  /** The function name (a token when the function is defined in this app). */
  readonly functionName: string;
  /**
   * What the controller's config names the function by: its ARN, or, for a function defined in this app and
   * environment, its name (a `Ref`, at most 64 characters once deployed, where the ARN would take 140 of the
   * controller's 4 KB environment). Both invoke the same function: the controller runs in that account and region.
   */
  readonly configName: string;
  readonly qualifier: string;
  /** ARNs the controller may invoke: exactly the qualified ARN (plus the unqualified one for `$LATEST`). */
  readonly invokeArns: readonly string[];
  /** Memory and architecture where the function is defined in this app, for the cost model. */
  readonly memoryMb: number | undefined;
  readonly architecture: string | undefined;
}

/** Lambda's default memory size, when a function in this app does not set one. */
const LAMBDA_DEFAULT_MEMORY_MB = 128;

function isAlias(fn: IFunction): fn is IAlias {
  return 'aliasName' in fn && 'version' in fn;
}

function isVersion(fn: IFunction): fn is IVersion {
  return 'version' in fn && typeof (fn as IVersion).version === 'string' && 'lambda' in fn;
}

/**
 * Splits a target into the unqualified function and its qualifier, reporting problems as ValidationErrors
 * that name the construct prop (`targets[0].qualifier`). An unqualified function without an explicit qualifier
 * is an error: warming it would warm `$LATEST`, not the alias or version that serves traffic.
 */
export function resolveTarget(
  target: WarmpoolTarget,
  index: number,
  report: (issue: ValidationError) => void,
  scope: Stack,
): ResolvedTarget | undefined {
  const field = `targets[${index}]`;
  const given = target.function;
  let fn: IFunction;
  let own: string | undefined;
  let kind: string;
  if (isAlias(given)) {
    fn = given.version.lambda;
    own = given.aliasName;
    kind = 'alias';
  } else if (isVersion(given)) {
    fn = given.lambda;
    own = given.version;
    kind = 'version';
  } else {
    fn = given;
    kind = 'function';
  }
  // A function imported by a qualified ARN (`…:function:api:live`) carries its qualifier in `functionArn`;
  // appending the qualifier again would grant `…:api:live:live`, which matches nothing.
  let functionArn = fn.functionArn;
  const ref = Token.isUnresolved(functionArn) ? undefined : parseFunctionRef(functionArn);
  if (ref?.qualifier !== undefined) {
    functionArn = ref.unqualified;
    own ??= ref.qualifier;
    kind = kind === 'function' ? 'qualifier in the function ARN' : kind;
  }
  const qualifier = target.qualifier ?? own;
  if (qualifier === undefined) {
    report(
      new ValidationError(`${field}.qualifier`, 'is required for an unqualified function', {
        detail:
          "pass an alias (fn.addAlias('live')) or set qualifier; an unqualified function warms $LATEST, so say qualifier: '$LATEST' if you mean it",
      }),
    );
    return undefined;
  }
  if (
    target.qualifier !== undefined &&
    own !== undefined &&
    !Token.isUnresolved(own) &&
    own !== target.qualifier
  ) {
    report(
      new ValidationError(`${field}.qualifier`, `must agree with the ${kind}`, {
        detail: `the ${kind} is "${own}", qualifier is "${target.qualifier}"`,
      }),
    );
  }
  const invokeArns =
    qualifier === '$LATEST' ? [functionArn, `${functionArn}:$LATEST`] : [`${functionArn}:${qualifier}`];
  return {
    fn,
    functionArn,
    functionName: fn.functionName,
    configName: configName(fn, scope),
    qualifier,
    invokeArns,
    ...functionFacts(fn),
  };
}

/** The name for an unresolved ARN of a function defined in this app and in the controller's environment. */
function configName(fn: IFunction, scope: Stack): string {
  if (!Token.isUnresolved(fn.functionArn) || !(fn instanceof LambdaFunction)) return fn.functionArn;
  // Stacks of one environment share its account and region (the same tokens when env-agnostic).
  const home = Stack.of(fn);
  const sameEnv = home === scope || (home.account === scope.account && home.region === scope.region);
  return sameEnv ? fn.functionName : fn.functionArn;
}

/** Memory and architecture of a function defined in this app; unknown for imported functions. */
function functionFacts(fn: IFunction): { memoryMb: number | undefined; architecture: string | undefined } {
  if (!(fn instanceof LambdaFunction)) return { memoryMb: undefined, architecture: undefined };
  const cfn = fn.node.defaultChild;
  const memory = cfn instanceof CfnFunction ? cfn.memorySize : undefined;
  return {
    memoryMb: typeof memory === 'number' && !Token.isUnresolved(memory) ? memory : LAMBDA_DEFAULT_MEMORY_MB,
    architecture: fn.architecture.name,
  };
}
