import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { strongPassword, TempUser } from '../../../../tools/lib/temp-user';

const SUB = '0f8fad5b-d9cb-469f-a165-70867728950e';
const cognito = mockClient(CognitoIdentityProviderClient);
const client = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
const opts = { userPoolId: 'eu-west-1_pool', clientId: 'client' };

beforeEach(() => {
  cognito.reset();
  cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: [{ Name: 'sub', Value: SUB }] } });
});

describe('strongPassword', () => {
  test('meets a Cognito policy requiring length and all four character classes, whatever the draws', () => {
    fc.assert(
      fc.property(fc.infiniteStream(fc.nat()), fc.integer({ min: 12, max: 64 }), (draws, length) => {
        const pick = (max: number) => (draws.next().value as number) % max;
        const p = strongPassword(length, pick);
        expect(p).toHaveLength(length);
        expect(p).toMatch(/[A-Z]/);
        expect(p).toMatch(/[a-z]/);
        expect(p).toMatch(/[0-9]/);
        expect(p).toMatch(/[^A-Za-z0-9]/);
      }),
    );
  });

  test('differs between calls', () => {
    expect(new Set(Array.from({ length: 20 }, () => strongPassword())).size).toBe(20);
  });
});

describe('TempUser', () => {
  test('is created without an invitation, verified, with a permanent password, and signs in with it', async () => {
    cognito.on(InitiateAuthCommand).resolves({ AuthenticationResult: { IdToken: 'id-token' } });
    const user = await TempUser.create(client, opts);
    expect(user.identity).toEqual({
      email: expect.stringMatching(/^metering-smoke-[0-9a-f]{16}@example\.com$/),
      sub: SUB,
    });
    expect(cognito).toHaveReceivedCommandWith(AdminCreateUserCommand, {
      UserPoolId: 'eu-west-1_pool',
      Username: user.identity.email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: user.identity.email },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    const setPassword = cognito.commandCalls(AdminSetUserPasswordCommand)[0].args[0].input;
    expect(setPassword).toMatchObject({ Username: user.identity.email, Permanent: true });
    expect(await user.signIn()).toBe('id-token');
    expect(cognito).toHaveReceivedCommandWith(InitiateAuthCommand, {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'client',
      AuthParameters: { USERNAME: user.identity.email, PASSWORD: setPassword.Password as string },
    });
  });

  test('is deleted again when its password cannot be set', async () => {
    cognito
      .on(AdminSetUserPasswordCommand)
      .rejects(Object.assign(new Error('policy'), { name: 'InvalidPasswordException' }));
    await expect(TempUser.create(client, opts)).rejects.toThrow('policy');
    expect(cognito).toHaveReceivedCommandTimes(AdminDeleteUserCommand, 1);
  });

  test('sign-in that ends in a challenge instead of tokens is an error that names it', async () => {
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED' });
    const user = await TempUser.create(client, opts);
    await expect(user.signIn()).rejects.toThrow('InitiateAuth returned no IdToken but challenge NEW_PASSWORD_REQUIRED');
  });
});
