import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DECISION_TABLE_SCHEMA } from '@warmpool/core';

/**
 * Creates the decision table (pk S, sk S, on-demand, TTL on `expiresAt`) and waits until it is ACTIVE. For
 * tests and the demo; production tables come from the CDK construct. An existing table is left as it is.
 * Against a store without UpdateTimeToLive (the embedded one) the table is created without TTL.
 */
export async function createDecisionTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { partitionKey, sortKey, ttlAttribute } = DECISION_TABLE_SCHEMA;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: partitionKey, AttributeType: 'S' },
          { AttributeName: sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (e) {
    if (!(e instanceof ResourceInUseException)) throw e;
    return;
  }
  for (let i = 0; i < 100; i++) {
    const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (d.Table?.TableStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      }),
    );
  } catch (e) {
    // The embedded, Java-free store (dynalite) has no UpdateTimeToLive. Its tables are for the demo and for
    // test runs without Java, where nothing needs to expire; a real DynamoDB error still surfaces.
    if ((e as Error).name !== 'UnknownOperationException') throw e;
  }
}
