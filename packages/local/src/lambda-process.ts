/**
 * Entry point of the stand-in when it runs in its own process (`forkLambdaStandIn`): builds a LocalWorld with
 * the functions described in WARMPOOL_LOCAL_LAMBDA (JSON), all running the sample handler, starts the Lambda
 * stand-in and reports `{ type: 'ready', endpoint }` over IPC. Exits when the parent disconnects.
 */
import { unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaStandIn } from './lambda-server.js';
import { sampleFunction } from './sample-function.js';
import { selfSignedIdentity } from './tls.js';
import { LocalWorld, type ScalingLimit } from './world.js';

export interface LocalLambdaProcessConfig {
  readonly accountConcurrency?: number;
  /** The per-function scaling rate (default 1,000 new environments per 10 s); null: unlimited. */
  readonly scalingRate?: ScalingLimit | null;
  /** Serve HTTPS with a self-signed certificate made at start; its PEM file is reported as `caFile`. */
  readonly tls?: boolean;
  /** With `tls`: also serve HTTP/2. */
  readonly http2?: boolean;
  readonly functions: readonly {
    readonly name: string;
    readonly qualifiers?: readonly string[];
    readonly reservedConcurrency?: number | null;
    /** false: the function runs without the helper (its answers lack the protocol). */
    readonly helper?: boolean;
    readonly initMs?: number;
    readonly maxHoldMs?: number;
    /** The function's timeout (default 30 s): the helper holds no longer. */
    readonly timeoutMs?: number;
  }[];
}

const config = JSON.parse(
  process.env.WARMPOOL_LOCAL_LAMBDA ?? '{"functions":[{"name":"sample"}]}',
) as LocalLambdaProcessConfig;
const world = new LocalWorld({
  accountConcurrency: config.accountConcurrency ?? 1_000,
  ...(config.scalingRate !== undefined ? { scalingRate: config.scalingRate } : {}),
});
for (const f of config.functions) {
  world.addFunction(
    sampleFunction({
      name: f.name,
      ...(f.qualifiers ? { qualifiers: f.qualifiers } : {}),
      reservedConcurrency: f.reservedConcurrency ?? null,
      warmup:
        f.helper === false
          ? false
          : // The helper reads WARMPOOL_SHARED_SECRET from the environment, inherited from the parent (the probe).
            f.maxHoldMs !== undefined
            ? { maxHoldMs: f.maxHoldMs }
            : {},
      sim: { initMs: f.initMs ?? 50 },
      ...(f.timeoutMs !== undefined ? { timeoutMs: f.timeoutMs } : {}),
    }),
  );
}
const tls = config.tls ? await selfSignedIdentity() : undefined;
let caFile: string | undefined;
if (tls) {
  caFile = join(tmpdir(), `warmpool-local-ca-${process.pid}.pem`);
  await writeFile(caFile, tls.cert);
}
const standIn = new LambdaStandIn(world, { tls, http2: config.http2 === true });
const endpoint = await standIn.start(0);
process.send?.({ type: 'ready', endpoint, pid: process.pid, caFile });
const shutdown = () => {
  void standIn
    .stop()
    .then(() => (caFile ? unlink(caFile).catch(() => {}) : undefined))
    .then(() => process.exit(0));
};
process.on('disconnect', shutdown);
process.on('SIGTERM', shutdown);
