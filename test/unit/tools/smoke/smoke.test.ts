import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { runSmokeTest, type SmokeOptions, stringsUrl } from '../../../../tools/smoke/smoke';
import { fakeAthena } from '../lib/athena-fake';

const SUB = '0f8fad5b-d9cb-469f-a165-70867728950e';
const cognitoMock = mockClient(CognitoIdentityProviderClient);
const cognito = new CognitoIdentityProviderClient({ region: 'eu-west-1' });

/** API Gateway + handler in a few lines: `plan` can replace any answer by status for the n-th call. */
function fakeApi(plan: (url: URL, n: number) => number | undefined = () => undefined) {
  const calls: { url: URL; auth?: string }[] = [];
  const fetchFn = (async (input: string, init?: RequestInit) => {
    const url = new URL(input);
    const auth = (init?.headers as Record<string, string>)?.Authorization;
    calls.push({ url, auth });
    const forced = plan(url, calls.length);
    const json = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
    if (forced) return json(forced, { message: 'forced' });
    if (!auth) return json(401, { message: 'Unauthorized' });
    const len = Number(url.searchParams.get('len') ?? 1);
    const num = Number(url.searchParams.get('num') ?? 1);
    if (len < 1) return json(400, { message: 'len must be 1-20' });
    return json(
      200,
      Array.from({ length: num }, () => 'a'.repeat(len)),
    );
  }) as typeof fetch;
  return { fetchFn, calls };
}

const clock = { t: Date.UTC(2026, 11, 1, 9) };
const deps = (fetchFn: typeof fetch, athena?: ReturnType<typeof fakeAthena>) => ({
  cognito,
  athena: athena?.client,
  fetch: fetchFn,
  now: () => clock.t,
  sleep: async (ms: number) => {
    clock.t += ms;
  },
});
const base: SmokeOptions = {
  apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev/',
  userPoolId: 'eu-west-1_pool',
  clientId: 'client',
};
const roundTrip = { workgroup: 'metering-dev', database: 'metering_dev', bufferIntervalSeconds: 60 };

beforeEach(() => {
  cognitoMock.reset();
  cognitoMock.on(AdminCreateUserCommand).resolves({ User: { Attributes: [{ Name: 'sub', Value: SUB }] } });
  cognitoMock.on(InitiateAuthCommand).resolves({ AuthenticationResult: { IdToken: 'id-token' } });
});

describe('runSmokeTest', () => {
  test('builds request URLs under the stage URL, with or without a trailing slash', () => {
    expect(stringsUrl('https://h/dev', { len: 3 })).toBe('https://h/dev/random/strings?len=3');
    expect(stringsUrl('https://h/dev/', { len: 3, chars: 'digits' })).toBe(
      'https://h/dev/random/strings?len=3&chars=digits',
    );
  });

  test('sends the ID token as-is in Authorization', async () => {
    const api = fakeApi();
    await runSmokeTest(deps(api.fetchFn), base);
    expect(api.calls.map((c) => c.auth)).toEqual(['id-token', undefined, 'id-token']);
  });

  test('with round trip, waits for every request that carried the token, retries included', async () => {
    // The first valid request is throttled once: that attempt reached API Gateway and is logged too.
    const api = fakeApi((url, n) => (n === 1 && url.searchParams.get('len') === '12' ? 429 : undefined));
    const athena = fakeAthena(() => [
      { request_id: 'r1', copies: '1' },
      { request_id: 'r2', copies: '1' },
      { request_id: 'r3', copies: '1' },
    ]);
    const result = await runSmokeTest(deps(api.fetchFn, athena), { ...base, roundTrip });
    expect(result.ok).toBe(true);
    expect(result.roundTrip).toMatchObject({ ok: true, expected: 3, seen: 3 });
    expect(result.summary).toMatch(/^smoke PASS .*round trip 3\/3 requests in raw after \d+ s; temp user deleted/);
    expect(athena.started[0].QueryString).toContain(SUB);
  });

  test('skips the round trip when an API check failed (nothing to wait for)', async () => {
    const api = fakeApi((url) => (url.searchParams.get('len') === '0' ? 500 : undefined));
    const athena = fakeAthena(() => []);
    const result = await runSmokeTest(deps(api.fetchFn, athena), { ...base, roundTrip });
    expect(result.ok).toBe(false);
    expect(result.summary).toContain('invalid parameter: expected 400, got 500 after 4 attempts');
    expect(result.summary).toContain('round trip: skipped: an API check failed');
    expect(athena.started).toHaveLength(0);
  });

  test('a user that cannot be deleted fails the run and is named in the summary', async () => {
    cognitoMock
      .on(AdminDeleteUserCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const result = await runSmokeTest(deps(fakeApi().fetchFn), base);
    expect(result.ok).toBe(false);
    expect(result.userDeleted).toBe(false);
    expect(result.summary).toMatch(
      /delete user: temp user metering-smoke-[0-9a-f]+@example\.com NOT deleted: AccessDeniedException/,
    );
  });

  test('a user that cannot be created fails the run with the reason, and nothing else is attempted', async () => {
    cognitoMock
      .on(AdminCreateUserCommand)
      .rejects(Object.assign(new Error('no access'), { name: 'AccessDeniedException' }));
    const api = fakeApi();
    const result = await runSmokeTest(deps(api.fetchFn), base);
    expect(result.ok).toBe(false);
    expect(result.summary).toContain('create user: AccessDeniedException: no access');
    expect(api.calls.map((c) => c.auth)).toEqual([undefined]);
    expect(cognitoMock).toHaveReceivedCommandTimes(AdminDeleteUserCommand, 0);
  });

  test('an unreachable API fails with the network error, after retries', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
    }) as typeof fetch;
    const result = await runSmokeTest(deps(down), { ...base, maxRetries: 1 });
    expect(result.ok).toBe(false);
    expect(result.summary).toContain('valid request: GET https://abc.execute-api');
    expect(result.summary).toContain('failed after 2 attempt(s): ENOTFOUND');
    expect(result.userDeleted).toBe(true);
  });
});
