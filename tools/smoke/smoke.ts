import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Backoff, Sleep } from '../../src/runtime/shared/backoff';
import { type Fetch, HttpNetworkError, type HttpResult, httpGet } from '../lib/http';
import { TempUser, type TempUserIdentity } from '../lib/temp-user';
import { contractViolation, excerpt, missingMessage, type StringsQuery } from './contract';
import { awaitRoundTrip, type RoundTripOptions, type RoundTripResult } from './round-trip';

export interface SmokeDeps {
  readonly cognito: CognitoIdentityProviderClient;
  /** Needed for the round trip only. */
  readonly athena?: AthenaClient;
  readonly fetch: Fetch;
  readonly now: () => number;
  readonly sleep: Sleep;
}

export type RoundTripSettings = Pick<
  RoundTripOptions,
  'workgroup' | 'database' | 'bufferIntervalSeconds' | 'marginSeconds' | 'pollBackoff'
>;

export interface SmokeOptions {
  /** Invoke URL of the API stage, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/dev/`. */
  readonly apiUrl: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** When set, also wait for the requests to appear in the raw table. */
  readonly roundTrip?: RoundTripSettings;
  /** The valid request. @default 5 strings of 12 lowercase letters */
  readonly query?: StringsQuery;
  /** Retries of a 429/5xx or network error per request. @default 3 */
  readonly maxRetries?: number;
  /** No HTTP retry starts after this long from the start. @default 30 s */
  readonly budgetMs?: number;
  readonly httpBackoff?: Backoff;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface SmokeResult {
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
  readonly user?: TempUserIdentity;
  readonly userDeleted: boolean;
  readonly roundTrip?: RoundTripResult;
  readonly durationMs: number;
  /** The one line the CLI prints. */
  readonly summary: string;
}

const DEFAULT_QUERY: StringsQuery = { len: 12, num: 5, chars: 'lowercase' };

/** The request URL of `GET /random/strings` under a stage's invoke URL. */
export function stringsUrl(apiUrl: string, params: Record<string, string | number>): string {
  const url = new URL('random/strings', apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
  return url.toString();
}

/**
 * The post-deploy smoke test: a temporary user signs in and exercises the API's
 * contract (200 with a valid body, 401 without a token, 400 for a bad
 * parameter), optionally waits for its requests in the lake, and is always
 * deleted. Never throws for a failed check: the result says what failed.
 */
export async function runSmokeTest(deps: SmokeDeps, opts: SmokeOptions): Promise<SmokeResult> {
  const started = deps.now();
  const deadline = started + (opts.budgetMs ?? 30_000);
  const query = opts.query ?? DEFAULT_QUERY;
  const checks: CheckResult[] = [];
  const check = (name: string, problem: string | undefined, passed: string) =>
    checks.push({ name, ok: problem === undefined, detail: problem ?? passed });

  // Requests with the user's token that reached the API (each a metered request with its own requestId),
  // and attempts that failed without a response (they may or may not have been logged).
  let authedResponses = 0;
  let authedUnknown = 0;
  let firstSentAt: number | undefined;
  let lastSentAt = started;
  const authedFetch: Fetch = async (input, init) => {
    firstSentAt ??= deps.now();
    lastSentAt = deps.now();
    try {
      const res = await deps.fetch(input, init);
      authedResponses++;
      return res;
    } catch (e) {
      authedUnknown++;
      throw e;
    }
  };
  const get = async (fetchFn: Fetch, url: string, token?: string): Promise<HttpResult | string> => {
    try {
      return await httpGet(fetchFn, url, {
        headers: token ? { Authorization: token } : {},
        maxRetries: opts.maxRetries ?? 3,
        backoff: opts.httpBackoff,
        deadline,
        now: deps.now,
        sleep: deps.sleep,
      });
    } catch (e) {
      return e instanceof HttpNetworkError ? e.message : `GET ${url}: ${(e as Error).message}`;
    }
  };

  let user: TempUser | undefined;
  let userDeleted = false;
  let roundTrip: RoundTripResult | undefined;
  try {
    try {
      user = await TempUser.create(deps.cognito, { userPoolId: opts.userPoolId, clientId: opts.clientId });
    } catch (e) {
      check('create user', describeError(e), '');
    }
    let token: string | undefined;
    if (user) {
      try {
        token = await user.signIn();
        check('sign in', undefined, 'signed in');
      } catch (e) {
        check('sign in', describeError(e), '');
      }
    }

    if (token) {
      const url = stringsUrl(opts.apiUrl, { ...query });
      const res = await get(authedFetch, url, token);
      check('valid request', validProblem(res, query), `200 with ${query.num}×${query.len} ${query.chars}`);
    }

    const anon = await get(deps.fetch, stringsUrl(opts.apiUrl, { ...query }));
    check('no token', statusProblem(anon, 401), '401 without token');

    if (token) {
      const res = await get(authedFetch, stringsUrl(opts.apiUrl, { len: 0 }), token);
      check('invalid parameter', statusProblem(res, 400) ?? messageProblem(res), '400 with message for len=0');
    }

    if (opts.roundTrip && user) {
      if (!checks.every((c) => c.ok)) {
        check('round trip', 'skipped: an API check failed', '');
      } else if (!deps.athena) {
        check('round trip', 'no Athena client given', '');
      } else {
        try {
          roundTrip = await awaitRoundTrip(
            { athena: deps.athena, now: deps.now, sleep: deps.sleep },
            {
              ...opts.roundTrip,
              user: user.identity,
              expected: authedResponses,
              unconfirmed: authedUnknown,
              firstSentAt: firstSentAt ?? started,
              lastSentAt,
            },
          );
          check('round trip', roundTrip.ok ? undefined : roundTrip.detail, `round trip ${roundTrip.detail}`);
        } catch (e) {
          check('round trip', describeError(e), '');
        }
      }
    }
  } finally {
    if (user) {
      try {
        await user.delete();
        userDeleted = true;
      } catch (e) {
        check('delete user', `temp user ${user.identity.email} NOT deleted: ${describeError(e)}`, '');
      }
    }
  }

  const durationMs = deps.now() - started;
  const ok = checks.length > 0 && checks.every((c) => c.ok);
  const parts = ok ? checks.map((c) => c.detail) : checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  if (user && userDeleted) parts.push('temp user deleted');
  const summary = `smoke ${ok ? 'PASS' : 'FAIL'} ${opts.apiUrl}: ${parts.join('; ')} (${(durationMs / 1000).toFixed(1)} s)`;
  return { ok, checks, user: user?.identity, userDeleted, roundTrip, durationMs, summary };
}

function describeError(e: unknown): string {
  const err = e as Error;
  return `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`;
}

function attempts(res: HttpResult): string {
  return res.attempts > 1 ? ` after ${res.attempts} attempts` : '';
}

function statusProblem(res: HttpResult | string, expected: number): string | undefined {
  if (typeof res === 'string') return res;
  if (res.status === expected) return undefined;
  return `expected ${expected}, got ${res.status}${attempts(res)}: ${excerpt(res.body)}`;
}

function validProblem(res: HttpResult | string, query: StringsQuery): string | undefined {
  const status = statusProblem(res, 200);
  if (status || typeof res === 'string') return status;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) return `expected Content-Type application/json, got ${JSON.stringify(type)}`;
  return contractViolation(res.body, query);
}

function messageProblem(res: HttpResult | string): string | undefined {
  return typeof res === 'string' ? res : missingMessage(res.body);
}
