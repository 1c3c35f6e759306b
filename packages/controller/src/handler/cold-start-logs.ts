import { gunzipSync } from 'node:zlib';
import { ValidationError, type WarmpoolConfig } from '@warmpool/core';
import type { Logger } from '../log/logger.js';
import type { WakeStore } from '../ports/wake-store.js';

/**
 * What a CloudWatch Logs subscription filter hands a Lambda destination: the matched events of one log stream,
 * gzipped JSON in base64 (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html).
 */
export interface CloudWatchLogsEvent {
  readonly awslogs: { readonly data: string };
}

/** The decoded payload: its log group, and the matched lines. */
export interface LogsPayload {
  readonly messageType: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly logEvents: readonly { readonly timestamp: number; readonly message: string }[];
}

/** What one delivery did: the cold starts it counted, per woken target. */
export interface WakeResult {
  readonly kind: 'wake';
  readonly logGroup: string | null;
  /** Targets whose marks it added to, with the cold starts counted for each. */
  readonly woken: readonly { readonly target: string; readonly coldStarts: number }[];
  /** Why nothing was added, where nothing was (a control message, a log group no target names …). */
  readonly ignored?: string | undefined;
}

/** Whether the Lambda event is a log subscription's delivery rather than a scheduled tick. */
export function isCloudWatchLogsEvent(event: unknown): event is CloudWatchLogsEvent {
  const logs = (event as { awslogs?: unknown } | null | undefined)?.awslogs;
  return typeof logs === 'object' && logs !== null && typeof (logs as { data?: unknown }).data === 'string';
}

/** Decodes a delivery: base64, gunzip, JSON. Throws a ValidationError naming what is wrong. */
export function decodeLogsData(data: string): LogsPayload {
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8'));
  } catch (e) {
    throw new ValidationError('awslogs.data', 'must be base64 of gzipped JSON', { cause: e });
  }
  const p = json as Partial<LogsPayload> | null;
  if (typeof p !== 'object' || p === null) throw new ValidationError('awslogs.data', 'must be a JSON object');
  if (typeof p.messageType !== 'string')
    throw new ValidationError('awslogs.data.messageType', 'must be a string');
  if (p.messageType !== 'DATA_MESSAGE')
    return { messageType: p.messageType, logGroup: '', logStream: '', logEvents: [] };
  if (typeof p.logGroup !== 'string' || p.logGroup === '')
    throw new ValidationError('awslogs.data.logGroup', 'must be a non-empty string');
  if (!Array.isArray(p.logEvents)) throw new ValidationError('awslogs.data.logEvents', 'must be an array');
  const logEvents = p.logEvents.filter(
    (e): e is { timestamp: number; message: string } =>
      typeof e?.message === 'string' && typeof e?.timestamp === 'number' && Number.isFinite(e.timestamp),
  );
  return {
    messageType: p.messageType,
    logGroup: p.logGroup,
    logStream: String(p.logStream ?? ''),
    logEvents,
  };
}

/** Lines that are the cold-start record `name` (`{"…":…, "UserColdStart": 1}`), as the helper writes it. */
export function countColdStartLines(
  events: LogsPayload['logEvents'],
  name: string,
): { count: number; lastAtMs: number } {
  let count = 0;
  let lastAtMs = 0;
  for (const e of events) {
    let line: unknown;
    try {
      line = JSON.parse(e.message);
    } catch {
      continue; // the filter matched something that is not the helper's line: not a cold start
    }
    if ((line as Record<string, unknown> | null)?.[name] !== 1) continue;
    count++;
    if (e.timestamp > lastAtMs) lastAtMs = e.timestamp;
  }
  return { count, lastAtMs };
}

/**
 * One delivery of the cold-start subscription: the targets whose function writes to the payload's log group
 * (their `logGroupName`, aliases of one function share it) and can be woken get the cold-start lines counted
 * on their marks. The next tick reads such a target at once, however long its back-off (`wakeAfterColdStarts`).
 * A store failure throws: the invocation fails (it shows in the function's Errors), that delivery's count is
 * lost, and the target waits out its back-off unless later deliveries wake it.
 */
export async function handleColdStartDelivery(
  event: CloudWatchLogsEvent,
  config: WarmpoolConfig,
  wakes: WakeStore | undefined,
  log: Logger,
): Promise<WakeResult> {
  const payload = decodeLogsData(event.awslogs.data);
  const none = (ignored: string, logGroup: string | null = payload.logGroup || null): WakeResult => {
    log.info('cold-start delivery ignored', { logGroup, ignored });
    return { kind: 'wake', logGroup, woken: [], ignored };
  };
  if (payload.messageType !== 'DATA_MESSAGE') return none(`${payload.messageType}: nothing to count`, null);
  if (!wakes) return none('no wake store configured');
  const targets = config.targets.filter(
    (t) => t.logGroupName === payload.logGroup && t.wakeAfterColdStarts > 0,
  );
  if (targets.length === 0) return none('no target with wakeAfterColdStarts > 0 writes to this log group');
  const woken: { target: string; coldStarts: number }[] = [];
  for (const t of targets) {
    const { count, lastAtMs } = countColdStartLines(payload.logEvents, t.coldStartMetric.name);
    if (count === 0) continue;
    await wakes.addColdStarts(t.id, count, lastAtMs);
    woken.push({ target: t.id, coldStarts: count });
  }
  if (woken.length === 0) return none('no cold-start line in the delivery');
  log.info('cold starts delivered', { logGroup: payload.logGroup, woken });
  return { kind: 'wake', logGroup: payload.logGroup, woken };
}
