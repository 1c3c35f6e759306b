/**
 * Characters that drive a terminal instead of showing: C0 controls but newline and tab (ESC starts colour,
 * cursor and title sequences; BEL, backspace and CR rewrite what the user sees), DEL, C1 controls, the line
 * and paragraph separators, and the bidirectional overrides and isolates that reorder text on screen.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text safe to print: each unsafe character shown as its `\uXXXX` escape. Function names, trace cells and
 * recorded decisions come from files and tables anyone may have written; they are shown, never obeyed. The
 * escape is also a valid JSON string escape, so `--json` output stays parseable.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}
