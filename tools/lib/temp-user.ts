import { randomBytes, randomInt } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
/** A subset of the symbols Cognito's password policy counts as special characters. */
const SYMBOLS = '!#%&*+-=?@^_~';

/**
 * A random password that meets any Cognito password policy up to 'all four
 * classes, length ≤ 24': one character of each class, the rest from all of
 * them, shuffled, all drawn with `crypto.randomInt`.
 */
export function strongPassword(length = 24, pick: (max: number) => number = randomInt): string {
  if (length < 12) throw new Error('strongPassword: length must be at least 12');
  const all = UPPER + LOWER + DIGITS + SYMBOLS;
  const chars = [UPPER, LOWER, DIGITS, SYMBOLS].map((set) => set[pick(set.length)]);
  while (chars.length < length) chars.push(all[pick(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/** The identity a temporary user is metered under: what the access log records for it. */
export interface TempUserIdentity {
  /** Sign-in name and `email` claim; the access log's `username` field. */
  readonly email: string;
  /** Cognito's immutable user id; the access log's `sub` field (the tenant key). */
  readonly sub: string;
}

export interface TempUserOptions {
  readonly userPoolId: string;
  readonly clientId: string;
  /** Local part prefix, so operators recognise (and can clean up) test users. @default 'metering-smoke' */
  readonly prefix?: string;
  /** @default 'example.com' (reserved: mail to it goes nowhere, and messages are suppressed anyway) */
  readonly emailDomain?: string;
}

/**
 * A throw-away Cognito user: created without an invitation, given a random
 * permanent password, signed in with USER_PASSWORD_AUTH, and deleted by the
 * caller in a `finally`. Works with pools that sign in by email alias or by
 * username, because the email is both the username and the email attribute.
 */
export class TempUser {
  private constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly opts: TempUserOptions,
    readonly identity: TempUserIdentity,
    private readonly password: string,
  ) {}

  /** Creates the user and sets its password; if setting the password fails the user is deleted again. */
  static async create(cognito: CognitoIdentityProviderClient, opts: TempUserOptions): Promise<TempUser> {
    const email = `${opts.prefix ?? 'metering-smoke'}-${randomBytes(8).toString('hex')}@${opts.emailDomain ?? 'example.com'}`;
    const created = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: opts.userPoolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    const sub = created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
    const password = strongPassword();
    const user = new TempUser(cognito, opts, { email, sub: sub ?? '' }, password);
    try {
      if (!sub) throw new Error(`AdminCreateUser returned no sub attribute for ${email}`);
      await cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: opts.userPoolId,
          Username: email,
          Password: password,
          Permanent: true,
        }),
      );
    } catch (e) {
      await user.delete().catch(() => undefined);
      throw e;
    }
    return user;
  }

  /** Signs in and returns the ID token, which API Gateway's Cognito authorizer takes in `Authorization`. */
  async signIn(): Promise<string> {
    const res = await this.cognito.send(
      new InitiateAuthCommand({
        ClientId: this.opts.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: this.identity.email, PASSWORD: this.password },
      }),
    );
    const token = res.AuthenticationResult?.IdToken;
    if (!token) {
      throw new Error(
        `InitiateAuth returned no IdToken${res.ChallengeName ? ` but challenge ${res.ChallengeName}` : ''}`,
      );
    }
    return token;
  }

  async delete(): Promise<void> {
    await this.cognito.send(
      new AdminDeleteUserCommand({ UserPoolId: this.opts.userPoolId, Username: this.identity.email }),
    );
  }
}
