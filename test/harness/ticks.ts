import type { TrafficReplay } from '@warmpool/cli';
import { readDecisions } from '@warmpool/cli';
import {
  createDynamoDbDocumentClient,
  createHandler,
  type DecisionRecord,
  DynamoDbDecisionStore,
  type TickResult,
} from '@warmpool/controller';
import type { Stack } from './stack.js';

export const TICK_MS = 300_000;

/** Drives the controller the way EventBridge does: a scheduled event per tick, into the Lambda handler. */
export class TickDriver {
  readonly handler: ReturnType<typeof createHandler>;
  readonly results: TickResult[] = [];
  private seq = 0;

  constructor(
    readonly stack: Stack,
    configJson: string,
    readonly traffic: TrafficReplay,
  ) {
    const deps = stack.deps();
    this.handler = createHandler({
      deps: () => deps,
      env: { WARMPOOL_CONFIG: configJson, WARMPOOL_TABLE: stack.table },
    });
  }

  /** Replays traffic up to `tickMs`, then delivers the scheduled event for it. */
  async tickAt(tickMs: number): Promise<TickResult> {
    this.traffic.feed(tickMs);
    const r = await this.deliver(tickMs);
    this.results.push(r);
    return r;
  }

  /** One delivery of the scheduled event for `tickMs` (call twice for a duplicated delivery). */
  deliver(tickMs: number, remainingMs = 30_000): Promise<TickResult> {
    const id = ++this.seq;
    return this.handler(
      { id: `event-${tickMs}`, time: new Date(tickMs).toISOString() },
      { awsRequestId: `request-${id}`, getRemainingTimeInMillis: () => remainingMs },
    );
  }
}

/** Every decision recorded for a target, read straight from DynamoDB Local. */
export async function recorded(stack: Stack, target: string): Promise<DecisionRecord[]> {
  const store = new DynamoDbDecisionStore(
    createDynamoDbDocumentClient({ endpoint: stack.endpoints.dynamodb }),
    stack.table,
  );
  return readDecisions(store, target, 0, 10_000);
}
