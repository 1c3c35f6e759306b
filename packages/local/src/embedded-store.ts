import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

/** dynalite's factory (CommonJS, untyped): an http.Server speaking the DynamoDB JSON protocol. */
type DynaliteFactory = (options: {
  readonly path?: string | undefined;
  readonly createTableMs?: number;
  readonly deleteTableMs?: number;
  readonly updateTableMs?: number;
}) => Server;

/**
 * DynamoDB operations the embedded store does not implement (dynalite answers UnknownOperationException).
 * Callers tolerate them: a table without TTL works the same for a demo, and the controller uses neither.
 */
export const EMBEDDED_STORE_UNSUPPORTED = [
  'UpdateTimeToLive',
  'TransactWriteItems',
  'TransactGetItems',
] as const;

export interface EmbeddedStoreOptions {
  /** LevelDB folder, so the data outlives the process; in memory when absent. */
  readonly path?: string | undefined;
  /** Loopback port; 0 (default) picks a free one. */
  readonly port?: number | undefined;
}

/**
 * An embedded DynamoDB-compatible store (dynalite: pure Node over LevelDB, no Java), on loopback, that the
 * real SDK clients talk to through `endpoint`. Conditional puts, Query and UpdateItem behave like DynamoDB;
 * tables become ACTIVE at once. With `path`, what was written can be read by a later process (one process at
 * a time: LevelDB locks the folder).
 */
export class EmbeddedDynamoStore {
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    readonly path: string | undefined,
  ) {}

  static async start(options: EmbeddedStoreOptions = {}): Promise<EmbeddedDynamoStore> {
    if (options.path) await mkdir(options.path, { recursive: true });
    const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;
    const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    return new EmbeddedDynamoStore(server, `http://127.0.0.1:${port}`, options.path);
  }

  /** Stops listening and closes the LevelDB folder (releasing its lock). */
  stop(): Promise<void> {
    this.server.closeAllConnections?.();
    return new Promise((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }
}
