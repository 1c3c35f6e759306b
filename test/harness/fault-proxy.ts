import { connect, createServer, type Server, type Socket } from 'node:net';

/** What the proxy does to the requests a fault matches. */
export const FAULT_MODES = {
  /** Connections are refused: the listener is closed until `clear()` (the client sees ECONNREFUSED). */
  refuse: 'refuse',
  /** The request is swallowed: never forwarded, never answered, the connection left open. */
  blackHole: 'black-hole',
  /** The answer is held back `delayMs` before it reaches the client. */
  delay: 'delay',
  /** The request is forwarded (so a write lands), then the answer is dropped and the connection reset. */
  resetAfterForward: 'reset-after-forward',
} as const;
export type FaultMode = (typeof FAULT_MODES)[keyof typeof FAULT_MODES];

export interface Fault {
  readonly mode: FaultMode;
  /** Only requests whose bytes contain this (e.g. `DynamoDB_20120810.PutItem`, from `x-amz-target`). */
  readonly match?: string | undefined;
  /** How many matching requests to hit before passing again (default: every one, until `clear()`). */
  readonly times?: number | undefined;
  /** For `delay`. */
  readonly delayMs?: number | undefined;
}

interface Conn {
  readonly client: Socket;
  readonly upstream: Socket;
  /** The fault that took the request now in flight on this connection, if any. */
  current: Fault | null;
}

/**
 * A loopback TCP proxy in front of one service (DynamoDB Local, a stand-in) that can refuse, black-hole, delay,
 * or reset a connection after forwarding the request. HTTP/1.1 keep-alive sends one request at a time per
 * connection, so the fault chosen when a request's bytes arrive applies to that request's answer.
 */
export class FaultProxy {
  private server: Server | undefined;
  private port = 0;
  private readonly conns = new Set<Conn>();
  private fault: Fault | null = null;
  private remaining = Number.POSITIVE_INFINITY;
  /** Requests each mode took, for assertions. */
  readonly hits: Record<FaultMode, number> = {
    refuse: 0,
    'black-hole': 0,
    delay: 0,
    'reset-after-forward': 0,
  };
  /** Requests passed through untouched. */
  passed = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  static forEndpoint(endpoint: string): FaultProxy {
    const u = new URL(endpoint);
    return new FaultProxy({ host: u.hostname, port: Number(u.port) });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<string> {
    await this.listen();
    return this.endpoint;
  }

  /** Applies `fault` to the next matching requests (replacing any other). */
  async inject(fault: Fault): Promise<void> {
    await this.clear();
    this.fault = fault;
    this.remaining = fault.times ?? Number.POSITIVE_INFINITY;
    if (fault.mode === 'refuse') {
      this.cutAll();
      await this.close();
    }
  }

  /** Back to passing everything (and listening again after `refuse`). */
  async clear(): Promise<void> {
    const wasRefusing = this.fault?.mode === 'refuse';
    this.fault = null;
    if (wasRefusing) await this.listen(this.port);
  }

  /** Cuts every open connection (a black-holed call then fails on the client's side). */
  cutAll(): void {
    for (const c of this.conns) {
      c.client.destroy();
      c.upstream.destroy();
    }
  }

  async stop(): Promise<void> {
    this.fault = null;
    this.cutAll();
    await this.close();
  }

  private take(chunk: Buffer): Fault | null {
    const f = this.fault;
    if (!f || f.mode === 'refuse' || this.remaining <= 0) return null;
    if (f.match && !chunk.includes(f.match)) return null;
    this.remaining--;
    this.hits[f.mode]++;
    return f;
  }

  private onConnection(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    const conn: Conn = { client, upstream, current: null };
    this.conns.add(conn);
    const cut = () => {
      client.destroy();
      upstream.destroy();
      this.conns.delete(conn);
    };
    client.on('error', cut);
    upstream.on('error', cut);
    client.on('close', cut);
    upstream.on('close', cut);
    client.on('data', (chunk: Buffer) => {
      // A request's first bytes carry its headers: pick its fault then; later chunks follow its body.
      if (chunk.includes('HTTP/1.1\r\n')) {
        conn.current = this.take(chunk);
        if (!conn.current) this.passed++;
      }
      if (conn.current?.mode === 'black-hole') return;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      const f = conn.current;
      if (f?.mode === 'reset-after-forward') {
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      if (f?.mode === 'delay') {
        setTimeout(() => client.writable && client.write(chunk), f.delayMs ?? 1_000);
        return;
      }
      client.write(chunk);
    });
  }

  private async listen(port = 0): Promise<void> {
    const server = createServer((c) => this.onConnection(c));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // A fan-out opens hundreds of connections at once: Node's default backlog (511) would refuse some.
      server.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    this.port = address.port;
  }

  private async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
