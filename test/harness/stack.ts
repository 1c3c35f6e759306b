import {
  awsTickDeps,
  capacityReader,
  createDecisionTable,
  createDynamoDbClient,
  createLambdaClient,
  createWarmTarget,
  LambdaInvoker,
  type TickDeps,
} from '@warmpool/controller';
import {
  CloudWatchStandIn,
  LambdaStandIn,
  type LocalFunctionSpec,
  LocalWorld,
  SimClock,
  simMetricProvider,
} from '@warmpool/local';
import { uniqueTableName } from './fixtures.js';
import { SwitchableProxy } from './switchable-proxy.js';

export interface StackOptions {
  /** Simulated epoch ms the world starts at. */
  readonly startMs: number;
  readonly functions: readonly LocalFunctionSpec[];
  /** DynamoDB Local's endpoint (from the e2e globalSetup). */
  readonly dynamodbEndpoint: string;
}

/**
 * Everything the controller talks to, on loopback, with the real SDK clients: a LocalWorld (simulated Lambda
 * account) behind the Lambda stand-in, the CloudWatch stand-in reading the world's per-minute metrics with
 * their reporting lag, and a fresh table in DynamoDB Local reached through a proxy that can be taken down.
 * Time is a SimClock: the test jumps it from tick to tick; pings still hold for real milliseconds.
 */
export class Stack {
  readonly clock: SimClock;
  readonly world: LocalWorld;
  readonly lambda: LambdaStandIn;
  readonly cloudwatch: CloudWatchStandIn;
  readonly dynamodbProxy: SwitchableProxy;
  /** Every JSON log and EMF line the controller wrote. */
  readonly lines: string[] = [];
  readonly table = uniqueTableName('e2e');
  endpoints = { lambda: '', cloudwatch: '', dynamodb: '' };

  private constructor(options: StackOptions) {
    this.clock = new SimClock(options.startMs);
    this.world = new LocalWorld({ clock: this.clock });
    for (const f of options.functions) this.world.addFunction(f);
    this.lambda = new LambdaStandIn(this.world);
    this.cloudwatch = new CloudWatchStandIn({
      provider: simMetricProvider({ lookup: this.world.metricsLookup }),
      now: () => this.clock.now(),
    });
    this.dynamodbProxy = SwitchableProxy.forEndpoint(options.dynamodbEndpoint);
  }

  static async start(options: StackOptions): Promise<Stack> {
    const s = new Stack(options);
    s.endpoints = {
      lambda: await s.lambda.start(),
      cloudwatch: await s.cloudwatch.start(),
      dynamodb: await s.dynamodbProxy.start(),
    };
    await createDecisionTable(createDynamoDbClient({ endpoint: options.dynamodbEndpoint }), s.table);
    return s;
  }

  /** The tick's ports over the real CloudWatch, DynamoDB and Lambda clients pointed at the stand-ins. */
  deps(): TickDeps {
    const invoker = new LambdaInvoker(
      createLambdaClient({
        endpoint: this.endpoints.lambda,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    return awsTickDeps({
      table: this.table,
      endpoints: this.endpoints,
      warm: createWarmTarget(invoker),
      capacity: capacityReader(invoker),
      clock: this.clock,
      sink: (line) => this.lines.push(line),
    });
  }

  async stop(): Promise<void> {
    await Promise.all([this.lambda.stop(), this.cloudwatch.stop(), this.dynamodbProxy.stop()]);
  }
}
