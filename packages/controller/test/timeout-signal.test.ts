import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { timeoutSignal } from '../src/tick/timeout-signal.js';

// A real collection, to show the bound survives it (AbortSignal.timeout held only by AbortSignal.any may not:
// nodejs/node#57736).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('timeoutSignal', () => {
  it('fires after its bound even when nothing else holds it and the heap is collected meanwhile', async () => {
    const fired: string[] = [];
    const parent = new AbortController();
    (() => {
      timeoutSignal(30, parent.signal).signal.addEventListener('abort', (e) =>
        fired.push(((e.target as AbortSignal).reason as DOMException).name),
      );
    })();
    gc();
    await new Promise((resolve) => setTimeout(resolve, 80));
    gc();
    expect(fired).toEqual(['TimeoutError']);
  });

  it('aborts with its parent, with the parent’s reason, and dispose() stops the timer', async () => {
    const parent = new AbortController();
    const a = timeoutSignal(10_000, parent.signal);
    parent.abort(new Error('budget'));
    expect(a.signal.aborted).toBe(true);
    expect((a.signal.reason as Error).message).toBe('budget');
    const b = timeoutSignal(20);
    b.dispose();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(b.signal.aborted).toBe(false);
    expect(timeoutSignal(5, AbortSignal.abort('already')).signal.reason).toBe('already');
  });
});
