import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One metric query as the stand-in sees it, decoded from GetMetricData's wire format. */
export interface MetricRequest {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: string;
  readonly periodMs: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** Datapoints for one query, oldest first, or undefined when no such metric exists (CloudWatch returns none). */
export type MetricProvider = (
  request: MetricRequest,
  nowMs: number,
) => { readonly timestampsMs: readonly number[]; readonly values: readonly number[] } | undefined;

export interface PutMetricDatum {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly values: readonly number[];
  readonly timestampMs: number | null;
}

export const CLOUDWATCH_FAULTS = {
  /** 400 InvalidParameterValueException (not retried by the SDK). */
  invalid: 'invalid',
  /** 400 Throttling (the SDK retries it). */
  throttling: 'throttling',
  /** 500 InternalServiceError (the SDK retries it). */
  internal: 'internal',
  /** Never answers (until the client gives up). */
  hang: 'hang',
} as const;
export type CloudWatchFault = (typeof CLOUDWATCH_FAULTS)[keyof typeof CLOUDWATCH_FAULTS];

export interface CloudWatchStandInOptions {
  readonly provider: MetricProvider;
  /** Time as the simulation sees it (the reporting lag is judged against it). */
  readonly now: () => number;
  /** Datapoints per page before NextToken (real CloudWatch: 100,800). Lower it to exercise paging. */
  readonly maxDatapointsPerPage?: number;
}

const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const MAX_QUERIES = 500;

interface WireQuery {
  Id?: string;
  Label?: string;
  ReturnData?: boolean;
  MetricStat?: {
    Metric?: { Namespace?: string; MetricName?: string; Dimensions?: { Name?: string; Value?: string }[] };
    Period?: number;
    Stat?: string;
  };
}

interface PendingPage {
  results: { Id: string; Label: string; Timestamps: number[]; Values: number[] }[];
}

/**
 * A loopback CloudWatch that the real @aws-sdk/client-cloudwatch talks to (awsJson1_0, `x-amz-target:
 * GraniteServiceVersion20100801.<Operation>`, epoch-second timestamps). GetMetricData is answered from a
 * MetricProvider (the simulated world), PutMetricData is accepted (gzip bodies too) and kept for inspection,
 * and faults can be injected per call.
 */
export class CloudWatchStandIn {
  /** Every request, in order: operation and, for GetMetricData, the number of queries. */
  readonly requests: { operation: string; queries: number; nextToken: boolean }[] = [];
  readonly putMetricData: PutMetricDatum[] = [];
  /** Requests that arrived gzip-encoded (the SDK compresses bodies of 10,240 bytes or more). */
  gzipRequests = 0;
  private readonly faults: CloudWatchFault[] = [];
  private readonly pages = new Map<string, PendingPage>();
  private server: Server | undefined;
  private nextPageId = 0;

  constructor(private readonly options: CloudWatchStandInOptions) {}

  /** The next `times` requests fail with `fault`. */
  failNext(fault: CloudWatchFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push(fault);
  }

  /** Starts listening on loopback; resolves to the endpoint URL. */
  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => {
      void this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) error(res, 500, 'InternalFailure', String(e));
      });
    });
    this.server = server;
    // A taken port rejects (a caller-chosen port can be), rather than crash the process with an 'error' event.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body = Buffer.concat(chunks);
    if (String(req.headers['content-encoding'] ?? '').includes('gzip')) {
      body = gunzipSync(body);
      this.gzipRequests++;
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    let input: Record<string, unknown>;
    try {
      input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      error(res, 400, 'SerializationException', 'body is not JSON');
      return;
    }
    const queries = Array.isArray(input.MetricDataQueries) ? input.MetricDataQueries.length : 0;
    this.requests.push({ operation, queries, nextToken: typeof input.NextToken === 'string' });
    const fault = this.faults.shift();
    if (fault === CLOUDWATCH_FAULTS.hang) return; // the client's timeout or abort ends it
    if (fault === CLOUDWATCH_FAULTS.invalid) {
      error(res, 400, 'InvalidParameterValue', 'injected fault');
      return;
    }
    if (fault === CLOUDWATCH_FAULTS.throttling) {
      error(res, 400, 'Throttling', 'Rate exceeded');
      return;
    }
    if (fault === CLOUDWATCH_FAULTS.internal) {
      error(res, 500, 'InternalServiceError', 'injected fault', 'Receiver');
      return;
    }
    if (operation === 'GetMetricData') {
      this.getMetricData(input, res);
      return;
    }
    if (operation === 'PutMetricData') {
      this.putMetric(input, res);
      return;
    }
    error(res, 400, 'InvalidAction', `operation ${operation} is not supported by the stand-in`);
    return;
  }

  private getMetricData(input: Record<string, unknown>, res: ServerResponse): void {
    if (typeof input.NextToken === 'string') {
      const page = this.pages.get(input.NextToken);
      this.pages.delete(input.NextToken);
      if (!page) {
        error(res, 400, 'InvalidNextToken', 'unknown NextToken');
        return;
      }
      this.sendPage(page, res);
      return;
    }
    const queries = (input.MetricDataQueries ?? []) as WireQuery[];
    if (queries.length === 0 || queries.length > MAX_QUERIES) {
      error(res, 400, 'InvalidParameterValue', `MetricDataQueries: must hold 1 to ${MAX_QUERIES} queries`);
      return;
    }
    const startMs = Number(input.StartTime) * 1000;
    const endMs = Number(input.EndTime) * 1000;
    if (!(Number.isFinite(startMs) && Number.isFinite(endMs) && startMs < endMs)) {
      error(res, 400, 'InvalidParameterValue', 'StartTime must be before EndTime');
      return;
    }
    const ascending = input.ScanBy === 'TimestampAscending';
    const now = this.options.now();
    const results: PendingPage['results'] = [];
    for (const q of queries) {
      const stat = q.MetricStat;
      const metric = stat?.Metric;
      if (!q.Id || !stat || !metric?.Namespace || !metric.MetricName || !stat.Period || !stat.Stat) {
        error(
          res,
          400,
          'InvalidParameterValue',
          'each query needs Id and a full MetricStat (expressions are not supported)',
        );
        return;
      }
      const dimensions: Record<string, string> = {};
      for (const d of metric.Dimensions ?? []) if (d.Name) dimensions[d.Name] = d.Value ?? '';
      const got = this.options.provider(
        {
          namespace: metric.Namespace,
          metricName: metric.MetricName,
          dimensions,
          stat: stat.Stat,
          periodMs: stat.Period * 1000,
          startMs,
          endMs,
        },
        now,
      );
      const ts = [...(got?.timestampsMs ?? [])].map((t) => Math.floor(t / 1000));
      const vs = [...(got?.values ?? [])];
      if (!ascending) {
        ts.reverse();
        vs.reverse();
      }
      results.push({ Id: q.Id, Label: q.Label ?? metric.MetricName, Timestamps: ts, Values: vs });
    }
    this.sendPage({ results }, res);
  }

  /** Sends up to `maxDatapointsPerPage` datapoints; the rest waits behind a NextToken. */
  private sendPage(page: PendingPage, res: ServerResponse): void {
    let budget = this.options.maxDatapointsPerPage ?? 100_800;
    const now: PendingPage['results'] = [];
    const later: PendingPage['results'] = [];
    for (const r of page.results) {
      const take = Math.min(budget, r.Values.length);
      budget -= take;
      now.push({ ...r, Timestamps: r.Timestamps.slice(0, take), Values: r.Values.slice(0, take) });
      if (take < r.Values.length)
        later.push({ ...r, Timestamps: r.Timestamps.slice(take), Values: r.Values.slice(take) });
    }
    let NextToken: string | undefined;
    if (later.length > 0) {
      NextToken = `page-${this.nextPageId++}`;
      this.pages.set(NextToken, { results: later });
    }
    json(res, 200, {
      MetricDataResults: now.map((r) => ({
        ...r,
        StatusCode: NextToken && later.some((l) => l.Id === r.Id) ? 'PartialData' : 'Complete',
      })),
      Messages: [],
      ...(NextToken ? { NextToken } : {}),
    });
  }

  private putMetric(input: Record<string, unknown>, res: ServerResponse): void {
    const namespace = String(input.Namespace ?? '');
    const data = (input.MetricData ?? []) as {
      MetricName?: string;
      Dimensions?: { Name?: string; Value?: string }[];
      Value?: number;
      Values?: number[];
      Timestamp?: number;
    }[];
    if (!namespace) {
      error(res, 400, 'MissingParameter', 'Namespace is required');
      return;
    }
    for (const d of data) {
      const dimensions: Record<string, string> = {};
      for (const x of d.Dimensions ?? []) if (x.Name) dimensions[x.Name] = x.Value ?? '';
      this.putMetricData.push({
        namespace,
        metricName: String(d.MetricName ?? ''),
        dimensions,
        values: d.Values ?? (d.Value === undefined ? [] : [d.Value]),
        timestampMs: typeof d.Timestamp === 'number' ? d.Timestamp * 1000 : null,
      });
    }
    json(res, 200, {});
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** An error in the awsJson1_0 shape, with the query-compatible code header the SDK maps to the error name. */
function error(res: ServerResponse, status: number, code: string, message: string, fault = 'Sender'): void {
  const type = code === 'Throttling' || code.endsWith('Exception') ? code : `${code}Exception`;
  const text = JSON.stringify({ __type: type, message });
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-query-error': `${code};${fault}`,
  });
  res.end(text);
}
