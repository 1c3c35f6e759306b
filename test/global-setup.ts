import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from './harness/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local's endpoint for every e2e test file (one jar for the whole run). */
    dynamodbEndpoint: string;
  }
}

/** Starts DynamoDB Local once for the e2e project (or reuses WARMPOOL_DYNAMODB_ENDPOINT) and stops it after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const ddb = await startDynamoDbLocal();
  project.provide('dynamodbEndpoint', ddb.endpoint);
  return () => ddb.stop();
}
