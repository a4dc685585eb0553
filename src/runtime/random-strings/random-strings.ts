import { randomFillSync } from 'node:crypto';

/**
 * The `GET /random/strings` contract, as plain functions: parameter parsing and
 * validation, and generation from `node:crypto` (the original sample seeded its
 * PRNG with a constant, so every cold start repeated the same strings).
 */

export const CHARSETS = {
  letters: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lowercase: 'abcdefghijklmnopqrstuvwxyz',
  uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
} as const;

export type CharsetName = keyof typeof CHARSETS;

const CHARSET_NAMES = Object.keys(CHARSETS) as CharsetName[];

/** Inclusive bounds and defaults of the integer parameters. */
export const LIMITS = {
  len: { min: 1, max: 20, default: 1 },
  num: { min: 1, max: 100, default: 1 },
} as const;

export const DEFAULT_CHARSET: CharsetName = 'letters';

export interface StringsRequest {
  readonly len: number;
  readonly num: number;
  readonly chars: CharsetName;
}

export interface Response {
  readonly statusCode: 200 | 400;
  /** JSON text: an array of strings (200) or `{"message": ...}` (400). */
  readonly body: string;
}

export type Query = Record<string, string | undefined> | null | undefined;
export type MultiQuery = Record<string, string[] | undefined> | null | undefined;

export class ParameterError extends Error {}

// Digits only: no sign, exponent, decimal point, whitespace or empty string.
const DIGITS = /^[0-9]{1,3}$/;

function single(name: string, query: Query, multi: MultiQuery): string | undefined {
  const values = multi?.[name];
  if (values && values.length > 1) {
    throw new ParameterError(`parameter '${name}' must be given at most once, got ${values.length} values`);
  }
  return query?.[name] ?? values?.[0];
}

function integer(name: 'len' | 'num', query: Query, multi: MultiQuery): number {
  const { min, max } = LIMITS[name];
  const raw = single(name, query, multi);
  if (raw === undefined) return LIMITS[name].default;
  const value = DIGITS.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new ParameterError(
      `parameter '${name}' must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function charset(query: Query, multi: MultiQuery): CharsetName {
  const raw = single('chars', query, multi);
  if (raw === undefined) return DEFAULT_CHARSET;
  if (!(CHARSET_NAMES as string[]).includes(raw)) {
    throw new ParameterError(
      `parameter 'chars' must be one of ${CHARSET_NAMES.join(', ')}, got ${JSON.stringify(raw)}`,
    );
  }
  return raw as CharsetName;
}

/** Reads `len`, `num` and `chars`; throws `ParameterError` naming the parameter and its allowed values. Other parameters are ignored. */
export function parseRequest(query: Query, multi: MultiQuery): StringsRequest {
  return { len: integer('len', query, multi), num: integer('num', query, multi), chars: charset(query, multi) };
}

// A pool of random bytes, refilled when used up: far cheaper than a crypto call
// per character. Each byte is used at most once.
const pool = Buffer.alloc(4096);
let pos = pool.length;

/**
 * `num` strings of `len` characters drawn uniformly from `alphabet`. Bytes at
 * or above the largest multiple of the alphabet size are rejected, so there is
 * no modulo bias.
 */
export function randomStrings(num: number, len: number, alphabet: string): string[] {
  const size = alphabet.length;
  const limit = 256 - (256 % size);
  const out: string[] = new Array(num);
  for (let i = 0; i < num; i++) {
    let s = '';
    while (s.length < len) {
      if (pos === pool.length) {
        randomFillSync(pool);
        pos = 0;
      }
      const byte = pool[pos++] as number;
      if (byte < limit) s += alphabet[byte % size];
    }
    out[i] = s;
  }
  return out;
}

/** The whole API contract: 200 with a JSON array of strings, or 400 with a JSON message. Never throws for any input. */
export function handleRequest(query: Query, multi: MultiQuery): Response {
  let request: StringsRequest;
  try {
    request = parseRequest(query, multi);
  } catch (e) {
    if (e instanceof ParameterError) return { statusCode: 400, body: JSON.stringify({ message: e.message }) };
    throw e;
  }
  return { statusCode: 200, body: JSON.stringify(randomStrings(request.num, request.len, CHARSETS[request.chars])) };
}
