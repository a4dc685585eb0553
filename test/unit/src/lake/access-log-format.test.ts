import {
  ACCESS_LOG_FIELDS,
  type AccessLogField,
  accessLogFormat,
  MISSING,
  type ValueDomain,
} from '../../../../src/lake/access-log-format';
import { emailRejection } from '../../../../src/runtime/pre-sign-up/email';

/**
 * Worst-case values each domain admits, as API Gateway would substitute them
 * (plain text, no escaping). Typed by domain, so a new domain cannot be added
 * without saying what its worst cases are.
 */
const WORST_CASES: Record<ValueDomain, readonly string[]> = {
  uuid: [MISSING, '', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '0'.repeat(36)],
  'opaque-id': [MISSING, '', 'AbC0+/=-'.repeat(32), '===='],
  integer: [MISSING, '', '0', '9223372036854775807'],
  ip: [MISSING, '', '255.255.255.255', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '::ffff:192.0.2.1', '2001:db8::1'],
  token: [MISSING, '', 'OPTIONS', '/random/strings', '/{proxy+}', 'HTTP/1.1', 'UNAUTHORIZED', 'dev-2'],
  email: [
    MISSING,
    '',
    `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.com`,
    "o'brien+{tag}|~^`!#$%&*=?/@example.com",
  ],
};

/** What API Gateway does with the format: substitute each variable's value verbatim. */
function substitute(format: string, fields: readonly AccessLogField[], value: (f: AccessLogField) => string): string {
  let line = format;
  for (const f of fields) line = line.split(`"${f.variable}"`).join(`"${value(f)}"`);
  return line;
}

/** Every line of a Firehose object (records concatenated with no delimiter), each parsed. */
function parseObject(object: string): Record<string, string>[] {
  expect(object.endsWith('\n')).toBe(true);
  return object
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line));
}

/** One record per (field, worst case), the other fields at their longest value. */
function worstCaseRecords(fields: readonly AccessLogField[], cases: Record<string, readonly string[]>): string[] {
  const format = accessLogFormat(fields);
  const longest = (f: AccessLogField) => [...(cases[f.domain] ?? [])].sort((a, b) => b.length - a.length)[0] ?? MISSING;
  return fields.flatMap((field) =>
    (cases[field.domain] ?? []).map((v) => substitute(format, fields, (f) => (f === field ? v : longest(f)))),
  );
}

describe('access-log format', () => {
  const format = accessLogFormat();

  it('is one JSON object per record, ending in a newline', () => {
    expect(format.endsWith('}\n')).toBe(true);
    expect(format.slice(0, -1)).not.toContain('\n');
  });

  it('contains $context.requestId, which API Gateway requires', () => {
    expect(format).toContain('$context.requestId');
  });

  it('has every field the raw table and metering need', () => {
    expect(ACCESS_LOG_FIELDS.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'requestId',
        'extendedRequestId',
        'requestTimeEpoch',
        'sub',
        'username',
        'sourceIp',
        'httpMethod',
        'resourcePath',
        'status',
        'protocol',
        'responseLength',
        'responseLatency',
        'integrationLatency',
        'apiKeyId',
        'errorResponseType',
      ]),
    );
  });

  it('keys the tenant on the immutable sub claim', () => {
    expect(ACCESS_LOG_FIELDS.find((f) => f.name === 'sub')?.variable).toBe('$context.authorizer.claims.sub');
  });

  it('parses, line by line, with worst-case values of every field substituted', () => {
    const records = worstCaseRecords(ACCESS_LOG_FIELDS, WORST_CASES);
    // Firehose concatenates records into one object without a delimiter.
    const rows = parseObject(records.join(''));
    expect(rows).toHaveLength(records.length);
    for (const row of rows) expect(Object.keys(row)).toEqual(ACCESS_LOG_FIELDS.map((f) => f.name));
    // A value comes back exactly as substituted, '-' included.
    expect(rows.map((r) => r.sourceIp)).toEqual(expect.arrayContaining(WORST_CASES.ip));
  });

  it('parses when every value is missing', () => {
    const [row] = parseObject(substitute(format, ACCESS_LOG_FIELDS, () => MISSING));
    expect(Object.values(row ?? {}).every((v) => v === MISSING)).toBe(true);
  });

  it('only holds emails the pre-sign-up trigger admits (the email domain guarantee)', () => {
    for (const email of WORST_CASES.email.filter((e) => e !== MISSING && e !== '')) {
      expect(emailRejection(email)).toBeUndefined();
    }
    for (const unsafe of ['a"b@example.com', 'a\\b@example.com', 'a\n@example.com']) {
      expect(emailRejection(unsafe)).toBeDefined();
    }
  });

  it('would break on a free-text field such as the user agent, which is why none is admitted', () => {
    const userAgent: AccessLogField = {
      name: 'userAgent',
      variable: '$context.identity.userAgent',
      domain: 'token',
      type: 'string',
      description: 'hypothetical free-text field',
    };
    const fields = [...ACCESS_LOG_FIELDS, userAgent];
    const cases = { ...WORST_CASES, token: [...WORST_CASES.token, 'curl/8 "quoted"', 'C:\\agent'] };
    expect(() => parseObject(worstCaseRecords(fields, cases).join(''))).toThrow(SyntaxError);
    expect(ACCESS_LOG_FIELDS.map((f) => f.variable)).not.toContain('$context.identity.userAgent');
  });
});
