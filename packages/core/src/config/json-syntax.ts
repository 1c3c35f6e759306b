/**
 * Where JSON text first breaks the grammar, and why, found by a small scanner of our own. V8's JSON.parse
 * messages quote the text around the error ("…"sharedSecret": "abc…" is not valid JSON"), and a config's text
 * can hold a secret that then reaches logs; this names a position and a rule only, never the text.
 */
export interface JsonSyntaxProblem {
  /** Offset of the offending character (text length for an early end). */
  readonly offset: number;
  /** 1-based line and column of `offset`. */
  readonly line: number;
  readonly column: number;
  readonly rule: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly rule: string,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** Deeper nesting than this is reported rather than recursed into (the scanner must not overflow the stack). */
const MAX_DEPTH = 512;

/** The first syntax problem in `text`, or undefined when the scanner finds none. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const stop = (rule: string): never => {
    throw new Stop(i, i >= text.length ? 'unexpected end of input' : rule);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r'))
      i++;
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) stop('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) stop('control character in a string (escape it)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) stop('bad \\u escape in a string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else stop('bad escape in a string');
      } else i++;
    }
  };
  const value = (depth: number): void => {
    ws();
    if (depth > MAX_DEPTH) stop(`nested deeper than ${MAX_DEPTH} levels`);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') stop('expected a double-quoted property name');
        string();
        ws();
        if (text[i] !== ':') stop("expected ':' after a property name");
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        stop("expected ',' or '}' after a property value");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        stop("expected ',' or ']' after an array element");
      }
    }
    if (c === '"') {
      string();
      return;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) stop('bad number');
      i += (m as RegExpExecArray)[0].length;
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    stop('unexpected character');
  };
  try {
    value(0);
    ws();
    if (i < text.length) stop('unexpected text after the JSON value');
    return undefined;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const before = text.slice(0, e.offset);
    const line = before.split('\n').length;
    return { offset: e.offset, line, column: e.offset - before.lastIndexOf('\n'), rule: e.rule };
  }
}
