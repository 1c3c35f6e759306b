import { LocalStack } from '@warmpool/cli';
import { createDecisionTable, createDynamoDbClient, type TickDeps } from '@warmpool/controller';
import type { LocalFunctionSpec } from '@warmpool/local';
import { FaultProxy } from './fault-proxy.js';
import { uniqueTableName } from './fixtures.js';
import { SwitchableProxy } from './switchable-proxy.js';

export interface StackOptions {
  /** Simulated epoch ms the world starts at. */
  readonly startMs: number;
  readonly functions: readonly LocalFunctionSpec[];
  /** DynamoDB Local's endpoint (from the e2e globalSetup). */
  readonly dynamodbEndpoint: string;
  /** Also put a FaultProxy in front of the Lambda and CloudWatch stand-ins (`lambdaFaults`, `cloudwatchFaults`). */
  readonly proxyStandIns?: boolean;
}

/**
 * The demo's LocalStack (a LocalWorld behind the Lambda and CloudWatch stand-ins, on a SimClock the test jumps
 * from tick to tick), with what the e2e tests add: a fresh table in DynamoDB Local reached through a proxy that
 * can be taken down, and every JSON log and EMF line the controller wrote.
 */
export class Stack {
  /** Every JSON log and EMF line the controller wrote. */
  readonly lines: string[] = [];
  readonly clock: LocalStack['clock'];
  readonly world: LocalStack['world'];
  readonly lambda: LocalStack['lambda'];
  readonly cloudwatch: LocalStack['cloudwatch'];
  readonly endpoints: LocalStack['endpoints'];
  readonly table: string;

  private constructor(
    readonly local: LocalStack,
    readonly dynamodbProxy: SwitchableProxy,
    /** In front of `dynamodbProxy`: refuses, black-holes, delays or resets chosen requests. */
    readonly dynamodbFaults: FaultProxy,
    /** In front of the stand-ins, with `proxyStandIns`. */
    readonly lambdaFaults?: FaultProxy,
    readonly cloudwatchFaults?: FaultProxy,
  ) {
    this.clock = local.clock;
    this.world = local.world;
    this.lambda = local.lambda;
    this.cloudwatch = local.cloudwatch;
    this.endpoints = local.endpoints;
    this.table = local.options.table;
  }

  static async start(options: StackOptions): Promise<Stack> {
    const proxy = SwitchableProxy.forEndpoint(options.dynamodbEndpoint);
    const table = uniqueTableName('e2e');
    // The controller reaches DynamoDB Local only through the proxies, so a test can take it down and back, or
    // make chosen requests hang, lag or lose their answers.
    const faults = FaultProxy.forEndpoint(await proxy.start());
    const local = await LocalStack.start({
      startMs: options.startMs,
      functions: options.functions,
      dynamodbEndpoint: await faults.start(),
      table,
    });
    await createDecisionTable(createDynamoDbClient({ endpoint: options.dynamodbEndpoint }), table);
    if (!options.proxyStandIns) return new Stack(local, proxy, faults);
    const lambda = FaultProxy.forEndpoint(local.endpoints.lambda);
    const cloudwatch = FaultProxy.forEndpoint(local.endpoints.cloudwatch);
    // The controller's clients read these endpoints when its deps are built, so they go through the proxies.
    local.endpoints = {
      ...local.endpoints,
      lambda: await lambda.start(),
      cloudwatch: await cloudwatch.start(),
    };
    return new Stack(local, proxy, faults, lambda, cloudwatch);
  }

  /** The tick's ports over the real CloudWatch, DynamoDB and Lambda clients pointed at the stand-ins. */
  deps(): TickDeps {
    return this.local.deps((line) => this.lines.push(line));
  }

  async stop(): Promise<void> {
    await Promise.all([
      this.local.stop(),
      this.dynamodbFaults.stop(),
      this.dynamodbProxy.stop(),
      this.lambdaFaults?.stop(),
      this.cloudwatchFaults?.stop(),
    ]);
  }
}
