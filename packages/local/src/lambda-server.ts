import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2Session } from 'node:http2';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TlsIdentity } from './tls.js';
import type { LocalWorld } from './world.js';

export const LAMBDA_FAULTS = {
  /** 429 TooManyRequestsException with the given Reason (and Retry-After when `retryAfterSeconds` is set). */
  throttle: 'throttle',
  /** Waits `delayMs` real ms before serving the call. */
  slow: 'slow',
  /** The function throws: 200 with `X-Amz-Function-Error: Unhandled`. */
  functionError: 'function-error',
  /** Destroys the socket without answering. */
  drop: 'drop',
} as const;
export type LambdaFaultKind = (typeof LAMBDA_FAULTS)[keyof typeof LAMBDA_FAULTS];

export type LambdaFault =
  | { readonly kind: 'throttle'; readonly reason: string; readonly retryAfterSeconds?: number }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'function-error'; readonly message?: string }
  | { readonly kind: 'drop' };

interface QueuedFault {
  readonly fault: LambdaFault;
  remaining: number;
  readonly functionName: string | undefined;
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const CONCURRENCY = /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/;
const ACCOUNT = '/2016-08-19/account-settings';

/** `name`, `name:qualifier`, or an ARN with or without a qualifier. */
export function splitFunctionName(raw: string): { name: string; qualifier: string | undefined } {
  const parts = raw.startsWith('arn:') ? raw.split(':').slice(6) : raw.split(':');
  return { name: parts[0] ?? '', qualifier: parts[1] || undefined };
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': 'local',
    ...headers,
  });
  res.end(text);
}

function awsError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  json(res, status, { Type: 'User', message, ...extra }, { 'x-amzn-errortype': type, ...headers });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decodeClientContext(header: string | string[] | undefined): unknown {
  if (typeof header !== 'string' || header === '') return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * A loopback Lambda that the real @aws-sdk/client-lambda talks to (restJson1): Invoke (RequestResponse, with
 * `x-amz-client-context` decoded and handed to the function as `context.clientContext`), GetFunctionConcurrency
 * and GetAccountSettings, all answered from a `LocalWorld`. Listens on 127.0.0.1 with a deep backlog so a
 * 1,000-ping round is not capped at Node's default 511 pending connections. Faults can be queued per call.
 */
export class LambdaStandIn {
  /** Invokes received, in order (function, qualifier, whether they carried a ClientContext). */
  readonly invocations: {
    functionName: string;
    qualifier: string | undefined;
    clientContext: boolean;
    /** '1.1' or '2.0'. */
    httpVersion: string;
  }[] = [];
  private readonly faults: QueuedFault[] = [];
  private server: Server | undefined;
  private readonly sessions = new Set<Http2Session>();

  /**
   * `tls`: serve HTTPS with this identity (see `selfSignedIdentity`), so a fan-out pays for handshakes as it
   * does against the Lambda API; the client trusts the certificate through NODE_EXTRA_CA_CERTS.
   */
  constructor(
    readonly world: LocalWorld,
    private readonly options: {
      readonly tls?: TlsIdentity | undefined;
      /** With `tls`: also speak HTTP/2 (ALPN h2, HTTP/1.1 still accepted), as the Lambda API does. */
      readonly http2?: boolean | undefined;
    } = {},
  ) {}

  /** Queues a fault for the next `times` Invokes (of `functionName` only, when given). */
  injectFault(fault: LambdaFault, options: { times?: number; functionName?: string } = {}): this {
    this.faults.push({ fault, remaining: options.times ?? 1, functionName: options.functionName });
    return this;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Starts listening on 127.0.0.1 (port 0: any free port); resolves to the endpoint URL. */
  async start(port = 0, backlog = 4_096): Promise<string> {
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((e) => {
        if (!res.headersSent)
          awsError(res, 500, 'ServiceException', e instanceof Error ? e.message : String(e));
        else res.destroy();
      });
    };
    const serverOptions = { keepAliveTimeout: 65_000, requestTimeout: 0 };
    const tls = this.options.tls;
    // The HTTP/2 compatibility API hands the same request and response shapes to the listener.
    const server = (
      tls && this.options.http2
        ? createSecureServer(
            { key: tls.key, cert: tls.cert, allowHTTP1: true, settings: { maxConcurrentStreams: 1_000 } },
            listener as never,
          )
        : tls
          ? createTlsServer({ ...serverOptions, key: tls.key, cert: tls.cert }, listener)
          : createServer(serverOptions, listener)
    ) as Server;
    this.server = server;
    server.on('session', (session: Http2Session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: '127.0.0.1', backlog }, () => resolve());
    });
    return this.endpoint;
  }

  get endpoint(): string {
    if (!this.server) throw new Error('LambdaStandIn is not started');
    const scheme = this.options.tls ? 'https' : 'http';
    return `${scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const session of this.sessions) session.destroy();
    this.sessions.clear();
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private takeFault(functionName: string): LambdaFault | undefined {
    const i = this.faults.findIndex((f) => f.functionName === undefined || f.functionName === functionName);
    const queued = this.faults[i];
    if (!queued) return undefined;
    if (--queued.remaining <= 0) this.faults.splice(i, 1);
    return queued.fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;
    let m = INVOKE.exec(path);
    if (m && req.method === 'POST') return this.invoke(req, res, decodeURIComponent(m[1] as string), url);
    m = CONCURRENCY.exec(path);
    if (m && req.method === 'GET') {
      await readBody(req);
      const { name } = splitFunctionName(decodeURIComponent(m[1] as string));
      const reserved = this.world.reservedConcurrency(name);
      if (reserved === undefined)
        return awsError(res, 404, 'ResourceNotFoundException', `Function not found: ${name}`);
      return json(res, 200, reserved === null ? {} : { ReservedConcurrentExecutions: reserved });
    }
    if (path === ACCOUNT && req.method === 'GET') {
      await readBody(req);
      const a = this.world.accountSettings();
      return json(res, 200, {
        AccountLimit: {
          TotalCodeSize: 80_530_636_800,
          CodeSizeUnzipped: 262_144_000,
          CodeSizeZipped: 52_428_800,
          ConcurrentExecutions: a.concurrentExecutions,
          UnreservedConcurrentExecutions: a.unreservedConcurrentExecutions,
        },
        AccountUsage: { TotalCodeSize: 0, FunctionCount: this.world.functionNames().length },
      });
    }
    await readBody(req);
    awsError(res, 404, 'UnknownOperationException', `${req.method} ${path} is not supported by the stand-in`);
  }

  private async invoke(req: IncomingMessage, res: ServerResponse, rawName: string, url: URL): Promise<void> {
    const body = await readBody(req);
    const split = splitFunctionName(rawName);
    const qualifier = url.searchParams.get('Qualifier') || split.qualifier;
    const clientContext = decodeClientContext(req.headers['x-amz-client-context']);
    this.invocations.push({
      functionName: split.name,
      qualifier,
      clientContext: clientContext !== undefined,
      httpVersion: req.httpVersion,
    });
    const invocationType = req.headers['x-amz-invocation-type'];
    if (invocationType && invocationType !== 'RequestResponse') {
      return awsError(res, 400, 'InvalidParameterValueException', 'the stand-in serves RequestResponse only');
    }
    const fault = this.takeFault(split.name);
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'throttle') {
      return awsError(
        res,
        429,
        'TooManyRequestsException',
        'Rate Exceeded.',
        { Reason: fault.reason },
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
      );
    }
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    let payload: unknown = {};
    if (body.length > 0) {
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        return awsError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
      }
    }
    if (fault?.kind === 'function-error') {
      return json(
        res,
        200,
        { errorType: 'Error', errorMessage: fault.message ?? 'injected function error' },
        {
          'x-amz-function-error': 'Unhandled',
          'x-amz-executed-version': qualifier ?? '$LATEST',
        },
      );
    }
    const result = await this.world.invoke({ functionName: split.name, qualifier, clientContext, payload });
    switch (result.kind) {
      case 'not-found':
        return awsError(res, 404, 'ResourceNotFoundException', result.message);
      case 'throttled':
        return awsError(res, 429, 'TooManyRequestsException', 'Rate Exceeded.', { Reason: result.reason });
      case 'function-error':
        return json(res, 200, result.payload, {
          'x-amz-function-error': 'Unhandled',
          'x-amz-executed-version': result.executedVersion,
        });
      case 'ok':
        return json(res, 200, result.payload, { 'x-amz-executed-version': result.executedVersion });
    }
  }
}
