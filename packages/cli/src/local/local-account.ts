import { type LocalFunctionSpec, sampleFunction } from '@warmpool/local';
import { LocalStack } from '../demo/local-stack.js';
import {
  ensureDecisionTable,
  type LocalStoreChoice,
  type LocalStoreKind,
  type RunningLocalStore,
  startLocalStore,
} from './local-store.js';

/** A function of the local account and the qualifiers it serves (it always serves $LATEST too, as Lambda does). */
export interface LocalAccountFunction {
  readonly name: string;
  readonly qualifiers: readonly string[];
}

export interface LocalAccountOptions {
  readonly functions: readonly LocalAccountFunction[];
  readonly table: string;
  readonly accountConcurrency: number;
  readonly store: LocalStoreChoice;
  /** Lambda on N, CloudWatch on N+1, the store on N+2; default: free ports. */
  readonly portBase?: number | undefined;
}

export interface LocalAccount {
  readonly endpoints: { readonly lambda: string; readonly cloudwatch: string; readonly dynamodb: string };
  readonly store: LocalStoreKind;
  readonly table: string;
  /** Stops every server (and the DynamoDB Local process) and waits until their ports are released. */
  stop(): Promise<void>;
}

/** The functions as the Lambda stand-in runs them: the sample handler, wrapped in the helper. */
export function localFunctionSpecs(functions: readonly LocalAccountFunction[]): LocalFunctionSpec[] {
  return functions.map((f) =>
    sampleFunction({
      name: f.name,
      qualifiers: [...new Set([...f.qualifiers, '$LATEST'])],
      reservedConcurrency: null,
      // The helper with its defaults; it reads WARMPOOL_SHARED_SECRET from this process's environment.
      warmup: {},
    }),
  );
}

/**
 * A living local Lambda account on loopback: the Lambda and CloudWatch stand-ins over one LocalWorld in real
 * time (a SimClock that is never jumped), and a DynamoDB-compatible store holding the decision table.
 */
export async function startLocalAccount(options: LocalAccountOptions): Promise<LocalAccount> {
  const base = options.portBase;
  const store: RunningLocalStore = await startLocalStore(options.store, {
    port: base === undefined ? undefined : base + 2,
  });
  let stack: LocalStack;
  try {
    await ensureDecisionTable(store.endpoint, options.table);
    stack = await LocalStack.start({
      startMs: Date.now(),
      functions: localFunctionSpecs(options.functions),
      dynamodbEndpoint: store.endpoint,
      table: options.table,
      accountConcurrency: options.accountConcurrency,
      ports: base === undefined ? undefined : { lambda: base, cloudwatch: base + 1 },
    });
  } catch (e) {
    await store.stop();
    throw e;
  }
  return {
    endpoints: { ...stack.endpoints },
    store: store.kind,
    table: options.table,
    async stop() {
      await Promise.allSettled([stack.stop(), store.stop()]);
    },
  };
}
