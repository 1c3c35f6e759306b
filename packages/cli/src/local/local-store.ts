import { createDecisionTable, createDynamoDbClient } from '@warmpool/controller';
import { EmbeddedDynamoStore } from '@warmpool/local';
import { findDynamoDbLocalJar, javaAvailable, startDynamoDbLocal } from './dynamodb-local.js';

/** The DynamoDB-compatible stores a local account can run on. */
export const LOCAL_STORES = { dynamodbLocal: 'dynamodb-local', embedded: 'embedded' } as const;
export type LocalStoreKind = (typeof LOCAL_STORES)[keyof typeof LOCAL_STORES];

export interface LocalStoreChoice {
  readonly kind: LocalStoreKind;
  /** The folder holding DynamoDBLocal.jar (dynamodb-local only). */
  readonly jarDir?: string;
  /** Why this store: said to the user, so a fallback is never silent. */
  readonly why: string;
}

/**
 * DynamoDB Local when Java and the jar are both present, else the embedded store (dynalite). `from` and
 * `env` are passed to the jar lookup; `java` is injectable so the choice can be tested on any machine.
 */
export function chooseLocalStore(
  options: {
    readonly from?: readonly string[];
    readonly env?: NodeJS.ProcessEnv;
    readonly java?: () => boolean;
  } = {},
): LocalStoreChoice {
  const jarDir = findDynamoDbLocalJar(options);
  const java = (options.java ?? javaAvailable)();
  if (java && jarDir)
    return { kind: LOCAL_STORES.dynamodbLocal, jarDir, why: `DynamoDB Local from ${jarDir}` };
  const missing = [
    ...(java ? [] : ['no java on the PATH']),
    ...(jarDir ? [] : ['no DynamoDB Local jar (npm package amplify-dynamodb-simulator) installed']),
  ];
  return { kind: LOCAL_STORES.embedded, why: `the embedded store (dynalite): ${missing.join(', ')}` };
}

export interface RunningLocalStore {
  readonly kind: LocalStoreKind;
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts the chosen store on 127.0.0.1 (`port`, default a free one). Embedded: in memory. */
export async function startLocalStore(
  choice: LocalStoreChoice,
  options: { readonly port?: number } = {},
): Promise<RunningLocalStore> {
  if (choice.kind === LOCAL_STORES.dynamodbLocal && choice.jarDir) {
    const ddb = await startDynamoDbLocal(choice.jarDir, { port: options.port });
    return { kind: choice.kind, endpoint: ddb.endpoint, stop: () => ddb.stop() };
  }
  const store = await EmbeddedDynamoStore.start({ port: options.port });
  return { kind: LOCAL_STORES.embedded, endpoint: store.endpoint, stop: () => store.stop() };
}

/** Creates the decision table at `endpoint` (an existing one is kept, as createDecisionTable does). */
export async function ensureDecisionTable(endpoint: string, table: string): Promise<void> {
  const client = createDynamoDbClient({ endpoint, region: 'us-east-1' });
  try {
    await createDecisionTable(client, table);
  } finally {
    client.destroy();
  }
}
