import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { terminalSafe } from '../src/cli/terminal-text.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

/** True when `text` holds a character that drives a terminal (newline and tab allowed). */
const drivesTerminal = (text: string) =>
  [...text].some((c) => {
    const p = c.codePointAt(0) ?? 0;
    return (p < 0x20 && p !== 0x0a && p !== 0x09) || (p >= 0x7f && p <= 0x9f) || (p >= 0x202a && p <= 0x202e);
  });

describe('control characters never reach the terminal raw (issue 11)', () => {
  it('terminalSafe escapes ESC, BEL, CR, C1 and bidi overrides, keeps newlines, tabs and other text', () => {
    expect(terminalSafe('api\u001b[2J\u0007\r\u0085\u202eevil\n\tok é')).toBe(
      'api\\u001b[2J\\u0007\\u000d\\u0085\\u202eevil\n\tok é',
    );
    // The escapes are JSON escapes too, so --json output still parses.
    expect(JSON.parse(terminalSafe(JSON.stringify({ name: 'a\u0085\u202eb' })))).toEqual({
      name: 'a\u0085\u202eb',
    });
  });

  it('a hostile name in a flag is shown escaped by every command', async () => {
    const name = 'api\u001b]0;pwned\u0007\u009b2J';
    for (const argv of [
      [name],
      ['probe', '--function', `${name}:live`, '--n', '1'],
      ['decisions', '--target', `${name}:live`, '--table', 'decisions'],
    ]) {
      const x = io();
      const code = await main(argv, x.io);
      expect(code).toBe(2);
      const printed = [...x.out, ...x.err].join('\n');
      expect(printed).toContain('\\u001b');
      expect(drivesTerminal(printed)).toBe(false);
    }
  });
});
