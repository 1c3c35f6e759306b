/**
 * The example's API: an ordinary Lambda handler behind a function URL, wrapped with `withWarmup`. A warm ping
 * (the controller's ClientContext marker, which an HTTP caller cannot set) holds the container and answers with
 * its id without running the handler; every real request runs the handler untouched.
 */
import { withWarmup } from '@warmpool/warmup';

interface UrlEvent {
  readonly rawPath?: string;
}

const startedAt = new Date().toISOString();

async function api(event: UrlEvent) {
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: event.rawPath ?? '/', containerStartedAt: startedAt }),
  };
}

export const handler = withWarmup(api, {
  // Same secret as the Warmpool construct's `sharedSecret` (an environment variable set from Secrets Manager).
  sharedSecret: process.env.WARMPOOL_SHARED_SECRET || undefined,
});
