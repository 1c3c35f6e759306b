/**
 * Lambda accepts a function as a name (`my-fn`), a partial ARN (`123456789012:function:my-fn`) or a full ARN
 * (`arn:aws:lambda:us-east-1:123456789012:function:my-fn`), each optionally followed by `:QUALIFIER`.
 * Warmpool keeps the unqualified form and carries the qualifier separately, because warming an unqualified
 * name warms `$LATEST`, not the alias that serves traffic.
 */

export interface FunctionRef {
  /** The function name part (`my-fn`), as Powertools' `function_name` dimension and the target id use it. */
  readonly name: string;
  /** The name or ARN without its qualifier: what Invoke's `FunctionName` gets alongside `Qualifier`. */
  readonly unqualified: string;
  /** The qualifier written into the name or ARN itself, if any. */
  readonly qualifier: string | undefined;
}

const ARN_PREFIX = String.raw`arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:function:`;
const PARTIAL_PREFIX = String.raw`\d{12}:function:`;
const NAME = '[a-zA-Z0-9_-]{1,64}';
const QUALIFIER = String.raw`\$LATEST|[a-zA-Z0-9_-]{1,128}`;

const FUNCTION_REF = new RegExp(`^(${ARN_PREFIX}|${PARTIAL_PREFIX})?(${NAME})(?::(${QUALIFIER}))?$`);
const QUALIFIER_ONLY = new RegExp(`^(?:${QUALIFIER})$`);

/** Splits a function name or ARN; `undefined` when it is not one Lambda would accept. */
export function parseFunctionRef(text: string): FunctionRef | undefined {
  const match = FUNCTION_REF.exec(text);
  if (!match) return undefined;
  const prefix = match[1] ?? '';
  const name = match[2] ?? '';
  return { name, unqualified: `${prefix}${name}`, qualifier: match[3] };
}

/** True for a version number, `$LATEST` or an alias name. */
export function isQualifier(text: string): boolean {
  return QUALIFIER_ONLY.test(text);
}

/** The stable target id, `name:qualifier`, where `name` is the function name part of a name or ARN. */
export function targetId(functionName: string, qualifier: string): string {
  const name = parseFunctionRef(functionName)?.name ?? functionName;
  return `${name}:${qualifier}`;
}
