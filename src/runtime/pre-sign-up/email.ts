/**
 * The rule that keeps the access log's `username` field (the email, quoted
 * without escaping by API Gateway) valid JSON: a user may only register a plain
 * address made of characters that never need escaping in a JSON string.
 */

/** RFC 5321 limit on a forward path. */
export const MAX_EMAIL_LENGTH = 254;

// Local part: dot-separated atoms of letters, digits and a few symbols (no
// quotes, backslashes, spaces or control characters); domain: DNS labels and a
// letter-only top-level domain.
const LOCAL_ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const PLAIN_EMAIL = new RegExp(`^${LOCAL_ATOM}(?:\\.${LOCAL_ATOM})*@(?:${LABEL}\\.)+[A-Za-z]{2,63}$`);

/** Why `email` may not sign up, or undefined when it may. */
export function emailRejection(email: unknown): string | undefined {
  if (typeof email !== 'string' || email.length === 0) return 'an email address is required';
  if (email.length > MAX_EMAIL_LENGTH) return `the email address must be at most ${MAX_EMAIL_LENGTH} characters`;
  // Named separately from the pattern so the message says what is wrong.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is rejected
  if (/["\\\u0000-\u001f\u007f]/.test(email)) {
    return 'the email address must not contain quotes, backslashes or control characters';
  }
  if (!PLAIN_EMAIL.test(email)) return 'expected a plain email address such as name@example.com';
  return undefined;
}
