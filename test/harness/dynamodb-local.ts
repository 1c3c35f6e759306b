import { fileURLToPath } from 'node:url';
import { chooseLocalStore, LOCAL_STORES, startLocalStore } from '@warmpool/cli';

/** The e2e package's folder: amplify-dynamodb-simulator (the DynamoDB Local jar) is its devDependency. */
const TEST_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface RunningDynamoDbLocal {
  readonly endpoint: string;
  /** Stops the jar if this harness started it (never an endpoint it was given). */
  stop(): Promise<void>;
}

/**
 * DynamoDB Local for the e2e tests: the endpoint in WARMPOOL_DYNAMODB_ENDPOINT when set (CI starts one), else
 * the jar started by the CLI's launcher (`warmpool local` uses the same) on a free port, in memory, telemetry
 * off, and stopped by `stop()`; without Java or the jar (and outside CI), the embedded store, with a notice.
 */
export async function startDynamoDbLocal(env = process.env): Promise<RunningDynamoDbLocal> {
  const given = env.WARMPOOL_DYNAMODB_ENDPOINT;
  if (given) return { endpoint: given, stop: async () => {} };
  const choice = chooseLocalStore({ from: [TEST_DIR], env });
  if (choice.kind === LOCAL_STORES.embedded) {
    // A machine with only Node and npm can still run the suite, against the embedded store (dynalite), which
    // has the same conditional puts, Query and UpdateItem. CI has Java and must test on DynamoDB Local.
    if (env.CI) throw new Error(`CI must run the e2e tests against DynamoDB Local, but found ${choice.why}`);
  }
  const store = await startLocalStore(choice);
  if (store.kind === LOCAL_STORES.embedded) {
    process.stderr.write(
      `\nwarmpool e2e: the end-to-end tests run against ${choice.why}, at ${store.endpoint}, not DynamoDB Local. Install Java 17 (and pnpm install test/) to test against DynamoDB Local.\n\n`,
    );
  }
  return { endpoint: store.endpoint, stop: () => store.stop() };
}
