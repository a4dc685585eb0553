/** The character sets `GET /random/strings` accepts for `chars`, as patterns a string must match. */
export const CHARSETS = {
  letters: /^[A-Za-z]*$/,
  lowercase: /^[a-z]*$/,
  uppercase: /^[A-Z]*$/,
  digits: /^[0-9]*$/,
} as const;

export type Charset = keyof typeof CHARSETS;

export interface StringsQuery {
  readonly len: number;
  readonly num: number;
  readonly chars: Charset;
}

/**
 * Why a 200 body breaks the API contract (a JSON array of `num` strings, each
 * `len` characters from `chars`), or undefined when it keeps it.
 */
export function contractViolation(body: string, q: StringsQuery): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return `body is not JSON: ${excerpt(body)}`;
  }
  if (!Array.isArray(value)) return `expected a JSON array, got ${excerpt(body)}`;
  if (value.length !== q.num) return `expected ${q.num} strings, got ${value.length}`;
  for (const [i, s] of value.entries()) {
    if (typeof s !== 'string') return `item ${i} is not a string: ${excerpt(JSON.stringify(s))}`;
    if (s.length !== q.len) return `item ${i} has length ${s.length}, expected ${q.len}: ${excerpt(JSON.stringify(s))}`;
    if (!CHARSETS[q.chars].test(s)) return `item ${i} has characters outside ${q.chars}: ${excerpt(JSON.stringify(s))}`;
  }
  return undefined;
}

/** Why an error body lacks a JSON `message`, or undefined when it has one. */
export function missingMessage(body: string): string | undefined {
  try {
    const value = JSON.parse(body) as { message?: unknown };
    if (typeof value?.message === 'string' && value.message.length > 0) return undefined;
    return `expected a JSON body with a "message", got ${excerpt(body)}`;
  } catch {
    return `expected a JSON body with a "message", got ${excerpt(body)}`;
  }
}

/** A short, single-line excerpt of a body for a summary line. */
export function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat || '(empty)';
}
