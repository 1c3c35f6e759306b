import type { LineSink, TickDeps } from '@warmpool/controller';
import {
  type AwsEndpoints,
  awsTickDeps,
  capacityReader,
  createLambdaClient,
  createWarmTarget,
  LambdaInvoker,
} from '@warmpool/controller';
import {
  CloudWatchStandIn,
  LambdaStandIn,
  type LocalFunctionSpec,
  LocalWorld,
  SimClock,
  simMetricProvider,
} from '@warmpool/local';

export interface LocalStackOptions {
  /** Simulated epoch ms the world starts at. */
  readonly startMs: number;
  readonly functions: readonly LocalFunctionSpec[];
  /** A DynamoDB-compatible endpoint (the embedded store, DynamoDB Local) holding `table`. */
  readonly dynamodbEndpoint: string;
  readonly table: string;
  /** The account's concurrency limit (default 1,000, as LocalWorld's). */
  readonly accountConcurrency?: number;
  /** Fixed loopback ports for the stand-ins (default: free ones). */
  readonly ports?: { readonly lambda?: number; readonly cloudwatch?: number };
}

/**
 * Everything the controller talks to, on loopback, for the real SDK clients: a LocalWorld (a simulated Lambda
 * account) behind the Lambda Invoke stand-in, and the CloudWatch stand-in reading the world's per-minute
 * metrics with their reporting lag. Time is a SimClock the driver jumps from tick to tick; pings still hold
 * for real milliseconds. (The same shape as the e2e harness's Stack, minus its DynamoDB fault proxy.)
 */
export class LocalStack {
  readonly clock: SimClock;
  readonly world: LocalWorld;
  readonly lambda: LambdaStandIn;
  readonly cloudwatch: CloudWatchStandIn;
  endpoints: Required<{ [K in keyof AwsEndpoints]: string }> = { lambda: '', cloudwatch: '', dynamodb: '' };

  private constructor(readonly options: LocalStackOptions) {
    this.clock = new SimClock(options.startMs);
    this.world = new LocalWorld({ clock: this.clock, accountConcurrency: options.accountConcurrency });
    for (const f of options.functions) this.world.addFunction(f);
    this.lambda = new LambdaStandIn(this.world);
    this.cloudwatch = new CloudWatchStandIn({
      provider: simMetricProvider({ lookup: this.world.metricsLookup }),
      now: () => this.clock.now(),
    });
  }

  static async start(options: LocalStackOptions): Promise<LocalStack> {
    const s = new LocalStack(options);
    try {
      s.endpoints = {
        lambda: await s.lambda.start(options.ports?.lambda),
        cloudwatch: await s.cloudwatch.start(options.ports?.cloudwatch),
        dynamodb: options.dynamodbEndpoint,
      };
    } catch (e) {
      // A port taken (a fixed one) must not leave the other stand-in listening.
      await s.stop();
      throw e;
    }
    return s;
  }

  /** The tick's ports as the Lambda handler builds them, over the real SDK clients pointed at the stand-ins. */
  deps(sink: LineSink, sharedSecret?: string): TickDeps {
    const invoker = new LambdaInvoker(
      createLambdaClient({
        endpoint: this.endpoints.lambda,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    return awsTickDeps({
      table: this.options.table,
      region: 'us-east-1',
      endpoints: this.endpoints,
      warm: createWarmTarget(invoker, { sharedSecret }),
      capacity: capacityReader(invoker),
      clock: this.clock,
      sink,
    });
  }

  async stop(): Promise<void> {
    await Promise.all([this.lambda.stop(), this.cloudwatch.stop()]);
  }
}
