import type { Architecture } from '../config/types.js';

/** One round of warm pings against one target. */
export interface PingRoundInput {
  /** Pings sent (one per container to warm). */
  readonly pings: number;
  /** How long each ping holds its container, in ms (billed as duration, rounded up to 1 ms). */
  readonly holdMs: number;
  readonly memoryMb: number;
  readonly architecture: Architecture;
  /** Pings that landed on a new container; each also bills INIT as duration (since Aug 2025). ≤ pings. */
  readonly newContainers: number;
  /** INIT duration of a new container, in ms. */
  readonly initMs: number;
}

export interface PingRoundCost {
  readonly requestsUsd: number;
  /** The hold, billed as duration at the function's memory. */
  readonly durationUsd: number;
  /** INIT billed as duration for pings that started a container. */
  readonly initUsd: number;
  readonly totalUsd: number;
}

/** One controller tick across all targets. */
export interface ControllerTickInput {
  readonly targets: number;
  /** Metrics requested per target through GetMetricData (e.g. concurrency, cold starts, throttles = 3). */
  readonly metricsPerTarget: number;
  readonly controllerMemoryMb: number;
  readonly controllerDurationMs: number;
  /** DynamoDB write request units per tick (one per started KB of each item written). */
  readonly dynamoWrites: number;
  /** DynamoDB read request units per tick. */
  readonly dynamoReads: number;
  /** The controller's own architecture; x86_64 when left out (the dearer of the two). */
  readonly controllerArchitecture?: Architecture | undefined;
}

export interface ControllerTickCost {
  /** The controller's own invocation: one request plus its duration. */
  readonly lambdaUsd: number;
  /** Metrics requested in the tick (targets × metricsPerTarget). */
  readonly metricsRequested: number;
  readonly getMetricDataUsd: number;
  readonly dynamoUsd: number;
  readonly totalUsd: number;
}

export interface ProvisionedConcurrencyInput {
  /** Provisioned environments. */
  readonly count: number;
  readonly memoryMb: number;
  /** How long it is configured, in seconds; billed rounded up to 5-minute steps. */
  readonly seconds: number;
  /** GB-seconds of real work run on it (its cheaper duration price); 0 when left out. */
  readonly utilisedGbSeconds?: number | undefined;
  readonly architecture: Architecture;
}

export interface ProvisionedConcurrencyCost {
  /** `seconds` rounded up to a multiple of 300. */
  readonly billedSeconds: number;
  readonly configuredUsd: number;
  readonly durationUsd: number;
  readonly totalUsd: number;
}
