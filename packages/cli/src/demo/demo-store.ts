import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createDecisionTable, createDynamoDbClient } from '@warmpool/controller';
import { EmbeddedDynamoStore } from '@warmpool/local';

/** Where `warmpool demo` keeps its files (relative to the working directory; gitignored). */
export const DEMO_DIR = '.warmpool/demo';
/** The demo's decision table in the embedded store. */
export const DEMO_TABLE = 'warmpool-demo';

/** The embedded decision store of the demo, running on loopback. */
export interface DemoStore {
  readonly endpoint: string;
  readonly table: string;
  /** The LevelDB folder. */
  readonly path: string;
  stop(): Promise<void>;
}

/**
 * The stand-ins and the embedded store accept any signature, but the SDK signs every call and, with no
 * credentials at all, would search the machine for some and fail: give it placeholders in that case only.
 */
export function useLocalCredentials(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (!env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) {
    env.AWS_ACCESS_KEY_ID = 'local';
    env.AWS_SECRET_ACCESS_KEY = 'local';
  }
}

/**
 * Starts the embedded store on `<dir>/db` and makes sure the decision table exists. `fresh` wipes the folder
 * first: the demo replays a new day each run, and a window left from an earlier run would make the conditional
 * write see a "duplicated tick" and warm nothing. `warmpool decisions --demo` opens it without `fresh`.
 */
export async function openDemoStore(
  options: { readonly dir?: string; readonly fresh?: boolean } = {},
): Promise<DemoStore> {
  useLocalCredentials();
  const path = join(options.dir ?? DEMO_DIR, 'db');
  if (options.fresh) await rm(path, { recursive: true, force: true });
  let store: EmbeddedDynamoStore;
  try {
    store = await EmbeddedDynamoStore.start({ path });
  } catch (e) {
    throw new Error(`could not open the demo store at ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    await createDecisionTable(
      createDynamoDbClient({ endpoint: store.endpoint, region: 'us-east-1' }),
      DEMO_TABLE,
    );
  } catch (e) {
    await store.stop();
    const locked = /lock/i.test(String((e as Error).message) + String((e as Error).cause ?? ''));
    throw new Error(
      `could not open the demo store at ${path}${locked ? ' (is another warmpool demo running?)' : ''}: ${(e as Error).name}: ${(e as Error).message}`,
      { cause: e },
    );
  }
  return { endpoint: store.endpoint, table: DEMO_TABLE, path, stop: () => store.stop() };
}
