import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { AdminGetUserCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { SMOKE_ENV } from '../../src/config/naming';
import { defaultSleep } from '../../src/runtime/shared/backoff';
import { TempUser } from '../../tools/lib/temp-user';
import { runSmokeTest, type SmokeOptions, type SmokeResult } from '../../tools/smoke/smoke';
import { type LocalApi, startLocalApi } from './support/api-server';
import { type CognitoLocal, DUMMY_CREDENTIALS, LOCAL_REGION, startCognitoLocal } from './support/cognito-local';

const ROOT = path.join(__dirname, '..', '..');
const run = promisify(execFile);

let cognito: CognitoLocal;
let api: LocalApi;

beforeAll(async () => {
  cognito = await startCognitoLocal();
  api = await startLocalApi({ issuer: cognito.issuer, clientId: cognito.clientId });
}, 30_000);

afterAll(async () => {
  await api?.stop();
  await cognito?.stop();
});

beforeEach(() => {
  api.mode = 'healthy';
  api.served.length = 0;
});

async function smoke(overrides: Partial<SmokeOptions> = {}): Promise<SmokeResult> {
  return runSmokeTest(
    { cognito: cognito.client, fetch, now: Date.now, sleep: defaultSleep },
    {
      apiUrl: api.url,
      userPoolId: cognito.userPoolId,
      clientId: cognito.clientId,
      // Short backoff keeps the failing cases quick; the retry count is the real one.
      httpBackoff: { initialMs: 20, maxMs: 100, factor: 2, jitter: 0 },
      ...overrides,
    },
  );
}

/** The temp user is gone from the pool: not listed, and AdminGetUser does not find it. */
async function expectUserGone(result: SmokeResult): Promise<void> {
  const email = result.user?.email as string;
  expect(email).toMatch(/^metering-smoke-[0-9a-f]{16}@example\.com$/);
  const listed = await cognito.client.send(new ListUsersCommand({ UserPoolId: cognito.userPoolId }));
  const emails = (listed.Users ?? []).flatMap((u) => u.Attributes?.filter((a) => a.Name === 'email') ?? []);
  expect(emails.map((a) => a.Value)).not.toContain(email);
  await expect(
    cognito.client.send(new AdminGetUserCommand({ UserPoolId: cognito.userPoolId, Username: email })),
  ).rejects.toMatchObject({ name: 'UserNotFoundException' });
  expect(result.userDeleted).toBe(true);
}

describe('smoke test against cognito-local and the real API handler', () => {
  test('passes against a healthy API and deletes its user', async () => {
    const result = await smoke();
    expect(result.summary).toMatch(/^smoke PASS /);
    expect(result.checks.map((c) => [c.name, c.ok])).toEqual([
      ['sign in', true],
      ['valid request', true],
      ['no token', true],
      ['invalid parameter', true],
    ]);
    // The valid and the invalid request were made as the temp user; the 401 probe as nobody.
    expect(api.served.map((r) => [r.status, r.sub])).toEqual([
      [200, result.user?.sub],
      [401, undefined],
      [400, result.user?.sub],
    ]);
    await expectUserGone(result);
  });

  test('fails when the API answers 500, after a bounded number of retries', async () => {
    api.mode = 'broken';
    const result = await smoke({ maxRetries: 3 });
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/^smoke FAIL .*valid request: expected 200, got 500 after 4 attempts/);
    expect(api.served.filter((r) => r.status === 500)).toHaveLength(8);
    await expectUserGone(result);
  });

  test('fails when the body breaks the contract', async () => {
    api.mode = 'bad-contract';
    const result = await smoke({ query: { len: 12, num: 5, chars: 'lowercase' } });
    expect(result.ok).toBe(false);
    expect(result.summary).toContain('valid request: item 0 has length 11, expected 12');
    await expectUserGone(result);
  });

  test('fails when a request without a token is served', async () => {
    api.mode = 'no-auth';
    const result = await smoke();
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/no token: expected 401, got 200/);
    await expectUserGone(result);
  });

  test('still deletes its user when signing in fails', async () => {
    const result = await smoke({ clientId: 'no-such-client' });
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/sign in: /);
    await expectUserGone(result);
  });

  test('the local API verifies tokens: a tampered token is refused', async () => {
    const user = await TempUser.create(cognito.client, { userPoolId: cognito.userPoolId, clientId: cognito.clientId });
    try {
      const token = await user.signIn();
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = [
        header,
        Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url'),
        signature,
      ];
      const url = `${api.url}random/strings?len=3`;
      expect((await fetch(url, { headers: { Authorization: token } })).status).toBe(200);
      expect((await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await fetch(url, { headers: { Authorization: forged.join('.') } })).status).toBe(401);
    } finally {
      await user.delete();
    }
  });

  test('a verifier that would fetch the JWKS over plain http refuses to', async () => {
    const user = await TempUser.create(cognito.client, { userPoolId: cognito.userPoolId, clientId: cognito.clientId });
    try {
      const token = await user.signIn();
      const verifier = JwtVerifier.create({
        issuer: cognito.issuer,
        audience: cognito.clientId,
        jwksUri: `${cognito.issuer}/.well-known/jwks.json`,
      });
      await expect(verifier.verify(token)).rejects.toThrow(/Protocol "http:" not supported/);
    } finally {
      await user.delete();
    }
  });

  describe('npm run smoke (the CLI, with the variables the pipeline sets)', () => {
    const cli = async () => {
      const env = {
        ...process.env,
        [SMOKE_ENV.apiUrl]: api.url,
        [SMOKE_ENV.userPoolId]: cognito.userPoolId,
        [SMOKE_ENV.userPoolClientId]: cognito.clientId,
        [SMOKE_ENV.region]: LOCAL_REGION,
        [SMOKE_ENV.roundTrip]: 'false',
        METERING_COGNITO_ENDPOINT: cognito.endpoint,
        AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: '',
        AWS_PROFILE: '',
      };
      const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
      return run(tsx, [path.join(ROOT, 'tools', 'smoke', 'cli.ts')], { env, cwd: ROOT, timeout: 60_000 }).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      );
    };

    test('prints one PASS line and exits 0 against a healthy API', async () => {
      const { code, stdout } = await cli();
      expect(stdout.trim().split('\n')).toEqual([expect.stringMatching(/^smoke PASS .*temp user deleted/)]);
      expect(code).toBe(0);
    });

    test('prints one FAIL line and exits non-zero when the API is broken', async () => {
      api.mode = 'broken';
      const { code, stdout } = await cli();
      expect(stdout.trim().split('\n')).toEqual([expect.stringMatching(/^smoke FAIL .*got 500/)]);
      expect(code).toBe(1);
    });
  });
});
