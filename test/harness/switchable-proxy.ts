import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy that can be switched off and on, to take a real server (DynamoDB Local) "down and back"
 * without stopping it: while down, new connections are reset and open ones are cut, as in an outage.
 */
export class SwitchableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private up = true;
  /** Connections refused while down. */
  refused = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  static forEndpoint(endpoint: string): SwitchableProxy {
    const u = new URL(endpoint);
    return new SwitchableProxy({ host: u.hostname, port: Number(u.port) });
  }

  async start(): Promise<string> {
    const server = createServer((client) => {
      if (!this.up) {
        this.refused++;
        client.resetAndDestroy();
        return;
      }
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.once('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    return `http://127.0.0.1:${address.port}`;
  }

  down(): void {
    this.up = false;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.up = true;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
