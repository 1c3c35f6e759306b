/**
 * The user-felt cold-start record (`UserColdStart` by default) in CloudWatch Embedded Metric Format, shaped like
 * AWS Lambda Powertools' (a Count of 1 with dimensions `service` and `function_name`) under its own name, so
 * that it never adds to Powertools' `ColdStart`, which counts something else under warming.
 */
export interface ColdStartMetricOptions {
  readonly namespace: string;
  readonly name: string;
  /** Dimension values; `${functionName}` is replaced by the function's name. */
  readonly dimensions: Readonly<Record<string, string>>;
}

export function resolveDimensions(
  dimensions: Readonly<Record<string, string>>,
  functionName: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(dimensions)) out[k] = v.replaceAll(`\${functionName}`, functionName);
  return out;
}

/** One EMF line: `{"_aws":{…},"service":…,"function_name":…,"UserColdStart":1}`. */
export function emfLine(
  metric: ColdStartMetricOptions,
  functionName: string,
  nowMs: number,
  extra: Readonly<Record<string, unknown>> = {},
): string {
  const dims = resolveDimensions(metric.dimensions, functionName);
  return JSON.stringify({
    _aws: {
      Timestamp: nowMs,
      CloudWatchMetrics: [
        {
          Namespace: metric.namespace,
          Dimensions: [Object.keys(dims)],
          Metrics: [{ Name: metric.name, Unit: 'Count' }],
        },
      ],
    },
    ...dims,
    ...extra,
    [metric.name]: 1,
  });
}
