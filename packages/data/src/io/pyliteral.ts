// A parser for the tiny subset of Python literals that .npy headers use: dicts, tuples, lists, strings,
// integers, True/False/None. Nothing is evaluated; keys land in a Map, so no header can touch a prototype.

/** A parsed Python literal. */
export type PyValue = string | number | boolean | null | PyValue[] | Map<string, PyValue>;

/** A syntax error at character `pos` of the text. */
export class PyLiteralError extends Error {
  constructor(
    readonly pos: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 32;

/** Parses `text` as one Python literal (surrounding whitespace allowed). */
export function parsePyLiteral(text: string): PyValue {
  let pos = 0;
  const skipSpace = (): void => {
    // space, tab, newline, carriage return: Python's whitespace in a header (no regex per character)
    for (
      let c = text.charCodeAt(pos);
      c === 32 || c === 9 || c === 10 || c === 13;
      c = text.charCodeAt(pos)
    )
      pos++;
  };
  const expect = (ch: string): void => {
    skipSpace();
    if (text[pos] !== ch)
      throw new PyLiteralError(pos, `expected '${ch}', found ${describe(text[pos])}`);
    pos++;
  };
  const parseString = (): string => {
    const quote = text[pos]!;
    pos++;
    let out = '';
    while (pos < text.length && text[pos] !== quote) {
      const c = text[pos]!;
      if (c === '\\') {
        const next = text[pos + 1];
        if (next === undefined) break;
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
        pos += 2;
      } else {
        out += c;
        pos++;
      }
    }
    if (text[pos] !== quote) throw new PyLiteralError(pos, 'unterminated string');
    pos++;
    return out;
  };
  const parseSequence = (close: string, depth: number): PyValue[] => {
    const items: PyValue[] = [];
    skipSpace();
    while (text[pos] !== close) {
      items.push(parseValue(depth + 1));
      skipSpace();
      if (text[pos] === ',') pos++;
      else if (text[pos] !== close)
        throw new PyLiteralError(pos, `expected ',' or '${close}', found ${describe(text[pos])}`);
      skipSpace();
    }
    pos++;
    return items;
  };
  const parseDict = (depth: number): Map<string, PyValue> => {
    const map = new Map<string, PyValue>();
    skipSpace();
    while (text[pos] !== '}') {
      skipSpace();
      const keyAt = pos;
      const key = parseValue(depth + 1);
      if (typeof key !== 'string')
        throw new PyLiteralError(keyAt, 'dictionary keys must be strings');
      if (map.has(key)) throw new PyLiteralError(keyAt, `duplicate key '${key}'`);
      expect(':');
      map.set(key, parseValue(depth + 1));
      skipSpace();
      if (text[pos] === ',') pos++;
      else if (text[pos] !== '}')
        throw new PyLiteralError(pos, `expected ',' or '}', found ${describe(text[pos])}`);
      skipSpace();
    }
    pos++;
    return map;
  };
  const parseValue = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) throw new PyLiteralError(pos, 'literal nested too deeply');
    skipSpace();
    const c = text[pos];
    if (c === undefined) throw new PyLiteralError(pos, 'unexpected end of header');
    if (c === "'" || c === '"') return parseString();
    if (c === '{') {
      pos++;
      return parseDict(depth);
    }
    if (c === '(') {
      pos++;
      return parseSequence(')', depth);
    }
    if (c === '[') {
      pos++;
      return parseSequence(']', depth);
    }
    const word = /^(True|False|None|-?\d+)L?/.exec(text.slice(pos, pos + 40));
    if (!word) throw new PyLiteralError(pos, `unexpected ${describe(c)}`);
    pos += word[0].length;
    if (word[1] === 'True') return true;
    if (word[1] === 'False') return false;
    if (word[1] === 'None') return null;
    const n = Number(word[1]);
    if (!Number.isSafeInteger(n))
      throw new PyLiteralError(pos - word[0].length, `integer ${word[1]} is too large`);
    return n;
  };
  const value = parseValue(0);
  skipSpace();
  if (pos !== text.length)
    throw new PyLiteralError(pos, `unexpected ${describe(text[pos])} after the literal`);
  return value;
}

function describe(c: string | undefined): string {
  return c === undefined ? 'end of header' : JSON.stringify(c);
}
