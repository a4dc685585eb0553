import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { emailRejection, MAX_EMAIL_LENGTH } from '../../../../../src/runtime/pre-sign-up/email';
import { handler } from '../../../../../src/runtime/pre-sign-up/handler';

describe('emailRejection', () => {
  it.each([
    'user@example.com',
    'first.last+tag@sub.example.co.uk',
    "o'brien@example.org",
    'a_b-c@x-y.example',
    `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.com`,
  ])('accepts %s, which is valid JSON inside quotes', (email) => {
    expect(emailRejection(email)).toBeUndefined();
    expect(JSON.parse(`"${email}"`)).toBe(email);
  });

  it.each([
    ['a quote', 'a"b@example.com', /quotes/],
    ['a quoted local part', '"a b"@example.com', /quotes/],
    ['a backslash', 'a\\b@example.com', /backslashes/],
    ['a newline', 'a@example.com\n', /control/],
    ['a tab', 'a\t@example.com', /control/],
    ['a NUL', 'a\u0000@example.com', /control/],
    ['DEL', 'a\u007f@example.com', /control/],
    ['a space', 'a b@example.com', /plain email/],
    ['no @', 'example.com', /plain email/],
    ['two @', 'a@b@example.com', /plain email/],
    ['no domain dot', 'a@localhost', /plain email/],
    ['a leading dot', '.a@example.com', /plain email/],
    ['consecutive dots', 'a..b@example.com', /plain email/],
    ['an IP literal', 'a@[127.0.0.1]', /plain email/],
    ['non-ASCII', 'zoë@example.com', /plain email/],
    ['an empty string', '', /required/],
    ['too long', `${'a'.repeat(MAX_EMAIL_LENGTH)}@example.com`, /at most 254/],
  ])('rejects %s', (_, email, reason) => {
    expect(emailRejection(email)).toMatch(reason);
  });

  it.each([undefined, null, 42])('rejects a missing or non-string email (%p)', (email) => {
    expect(emailRejection(email)).toMatch(/required/);
  });
});

describe('pre-sign-up handler', () => {
  const event = (email?: string) =>
    ({
      triggerSource: 'PreSignUp_AdminCreateUser',
      request: { userAttributes: email === undefined ? {} : { email } },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    }) as unknown as PreSignUpTriggerEvent;

  it('lets a plain address through unchanged', async () => {
    const e = event('tenant@example.com');
    await expect(handler(e)).resolves.toBe(e);
  });

  it('fails the sign-up with the reason for an unsafe address', async () => {
    await expect(handler(event('x"y@example.com'))).rejects.toThrow(/quotes/);
  });

  it('fails the sign-up when there is no email', async () => {
    await expect(handler(event())).rejects.toThrow(/required/);
  });
});
