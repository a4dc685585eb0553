import { CHARSETS, type Charset } from '../smoke/contract';

/** One request of the mix and the status the API's contract says it gets. */
export interface PlannedRequest {
  readonly params: Readonly<Record<string, string | readonly string[]>>;
  readonly expectedStatus: 200 | 400;
  /** Why an invalid request is invalid, for the report. */
  readonly kind: string;
}

const CHARSET_NAMES = Object.keys(CHARSETS) as Charset[];

/** Requests the API must refuse with 400: each breaks one documented parameter rule. */
const INVALID: readonly { kind: string; params: Record<string, string | readonly string[]> }[] = [
  { kind: 'len=0', params: { len: '0' } },
  { kind: 'len=21', params: { len: '21' } },
  { kind: 'len=1.5', params: { len: '1.5' } },
  { kind: 'num=0', params: { num: '0' } },
  { kind: 'num=101', params: { num: '101' } },
  { kind: 'num=abc', params: { num: 'abc' } },
  { kind: 'chars=emoji', params: { chars: 'emoji' } },
  { kind: 'repeated len', params: { len: ['3', '4'] } },
];

/**
 * `count` requests, about `invalidShare` of them invalid, the rest with random
 * valid `len`, `num` and `chars`. `random` is injectable so a test can pin it.
 */
export function planRequests(count: number, invalidShare = 0.2, random: () => number = Math.random): PlannedRequest[] {
  const pick = (n: number) => Math.floor(random() * n);
  return Array.from({ length: count }, (): PlannedRequest => {
    if (random() < invalidShare) {
      const bad = INVALID[pick(INVALID.length)];
      return { params: bad.params, expectedStatus: 400, kind: bad.kind };
    }
    const params = {
      len: String(1 + pick(20)),
      num: String(1 + pick(100)),
      chars: CHARSET_NAMES[pick(CHARSET_NAMES.length)],
    };
    return { params, expectedStatus: 200, kind: 'valid' };
  });
}

/** The request URL for planned params under a stage's invoke URL (repeated params appended twice). */
export function requestUrl(apiUrl: string, params: PlannedRequest['params']): string {
  const url = new URL('random/strings', apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  for (const [k, v] of Object.entries(params)) {
    for (const value of typeof v === 'string' ? [v] : v) url.searchParams.append(k, value);
  }
  return url.toString();
}
