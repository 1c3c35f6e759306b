import { type AgentOptions, type ClientRequest, Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

const CLIENT_CONTEXT = 'x-amz-client-context';

const INVOKE_PATH = /\/functions\/([^/]+)\/invocations/;

/** One Invoke's identity: function, qualifier and ClientContext (each ping's marker has its own index). */
export function invokeKey(functionName: string, qualifier: string, clientContext: string): string {
  return `${functionName}\u0000${qualifier}\u0000${clientContext}`;
}

function requestKey(req: ClientRequest): string | null {
  const context = req.getHeader(CLIENT_CONTEXT);
  const url = new URL(req.path, 'http://local');
  const m = INVOKE_PATH.exec(url.pathname);
  if (typeof context !== 'string' || !m) return null;
  const name = decodeURIComponent(m[1] as string);
  return invokeKey(name, url.searchParams.get('Qualifier') ?? '', context);
}

/**
 * Tells when an Invoke has left the process: its request was fully written to the socket ('finish'), not
 * merely created or queued. Requests are matched by function, qualifier and ClientContext header (each ping's
 * marker carries its own index), unique per ping in flight.
 */
export class DispatchTracker {
  private readonly pending = new Map<string, () => void>();

  /** Calls `onDispatched` once the request with this key (`invokeKey`) has been written. */
  expect(key: string, onDispatched: () => void): void {
    this.pending.set(key, onDispatched);
  }

  /** The call settled: if its request never finished writing, call back now, so nobody waits for it. */
  settle(key: string): void {
    this.fire(key);
  }

  /** Hooked into the agent: every request it is given is watched until it is written. */
  watch(req: ClientRequest): void {
    const key = requestKey(req);
    if (key === null || !this.pending.has(key)) return;
    req.once('finish', () => this.fire(key));
  }

  private fire(key: string): void {
    const cb = this.pending.get(key);
    if (!cb) return;
    this.pending.delete(key);
    cb();
  }
}

type AddRequest = (req: ClientRequest, options: unknown) => void;

function hook<A extends HttpAgent>(agent: A, tracker: DispatchTracker): A {
  // `addRequest` is how every request reaches an agent (Node's http internals); wrapping it sees each request
  // without replacing the agent's pooling.
  const target = agent as unknown as { addRequest: AddRequest };
  const original = target.addRequest.bind(agent);
  target.addRequest = (req, options) => {
    tracker.watch(req);
    original(req, options);
  };
  return agent;
}

/** Keep-alive agents for http and https whose requests `tracker` watches. */
export function trackedAgents(options: AgentOptions, tracker: DispatchTracker) {
  return {
    httpAgent: hook(new HttpAgent(options), tracker),
    httpsAgent: hook(new HttpsAgent(options), tracker),
  };
}
