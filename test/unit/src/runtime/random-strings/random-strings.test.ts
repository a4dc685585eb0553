import fc from 'fast-check';
import {
  CHARSETS,
  handleRequest,
  LIMITS,
  type MultiQuery,
  type Query,
  randomStrings,
} from '../../../../../src/runtime/random-strings/random-strings';

const ok = (query: Query, multi: MultiQuery = null): string[] => {
  const res = handleRequest(query, multi);
  expect(res.statusCode).toBe(200);
  return JSON.parse(res.body);
};

const rejected = (query: Query, multi: MultiQuery = null): string => {
  const res = handleRequest(query, multi);
  expect(res.statusCode).toBe(400);
  const body = JSON.parse(res.body);
  expect(Object.keys(body)).toEqual(['message']);
  return body.message;
};

describe('handleRequest: defaults', () => {
  it.each([
    ['no query at all', null],
    ['an empty query', {}],
  ])('%s gives one letter', (_, query) => {
    const body = ok(query);
    expect(body).toHaveLength(1);
    expect(body[0]).toMatch(/^[A-Za-z]$/);
  });

  it('ignores unknown parameters', () => {
    expect(ok({ foo: 'bar', len: '3', extra: '"\\' })[0]).toHaveLength(3);
  });
});

describe('handleRequest: valid parameters', () => {
  it.each([
    ['letters', /^[A-Za-z]+$/],
    ['lowercase', /^[a-z]+$/],
    ['uppercase', /^[A-Z]+$/],
    ['digits', /^[0-9]+$/],
  ])('chars=%s draws only from its charset', (chars, pattern) => {
    const body = ok({ chars, len: '20', num: '100' });
    expect(body).toHaveLength(100);
    for (const s of body) {
      expect(s).toHaveLength(20);
      expect(s).toMatch(pattern);
    }
  });

  it.each([
    ['1', '1'],
    ['20', '100'],
    ['007', '05'],
  ])('len=%s num=%s (bounds and leading zeros)', (len, num) => {
    const body = ok({ len, num });
    expect(body).toHaveLength(Number(num));
    for (const s of body) expect(s).toHaveLength(Number(len));
  });

  it('accepts a parameter given once through multiValueQueryStringParameters', () => {
    expect(ok({ len: '4' }, { len: ['4'] })[0]).toHaveLength(4);
  });
});

describe('handleRequest: invalid parameters get 400 naming the parameter and the allowed values', () => {
  it.each([
    ['len', '0'],
    ['len', '21'],
    ['num', '0'],
    ['num', '101'],
    ['len', '1.5'],
    ['len', 'abc'],
    ['len', ''],
    ['len', ' 3'],
    ['len', '3 '],
    ['len', '1e1'],
    ['len', '-1'],
    ['len', '+3'],
    ['num', '0x10'],
    ['num', '99999999999999999999'],
  ])('%s=%j', (name, value) => {
    const message = rejected({ [name]: value });
    const { min, max } = LIMITS[name as 'len' | 'num'];
    expect(message).toContain(`'${name}'`);
    expect(message).toContain(`from ${min} to ${max}`);
  });

  it.each(['words', 'LETTERS', '', 'letters,digits', 'hex'])('chars=%j', (chars) => {
    const message = rejected({ chars });
    expect(message).toContain("'chars'");
    expect(message).toContain('letters, lowercase, uppercase, digits');
  });

  it.each(['len', 'num', 'chars'])('repeated %s', (name) => {
    const message = rejected({ [name]: '2' }, { [name]: ['2', '3'] });
    expect(message).toContain(`'${name}'`);
    expect(message).toContain('at most once');
  });

  it('quotes the offending value safely in the JSON message', () => {
    expect(rejected({ chars: '"}\\' })).toContain('"\\"}\\\\"');
  });
});

describe('randomStrings', () => {
  it('is not repeatable: two calls differ', () => {
    expect(randomStrings(100, 20, CHARSETS.letters)).not.toEqual(randomStrings(100, 20, CHARSETS.letters));
  });

  it('reaches every character of the alphabet (no bias towards a subset)', () => {
    const seen = new Set(randomStrings(100, 20, CHARSETS.letters).join(''));
    expect(seen.size).toBe(CHARSETS.letters.length);
  });
});

describe('handleRequest: any query map', () => {
  const value = fc.oneof(
    fc.string(),
    fc.integer({ min: -5, max: 130 }).map(String),
    fc.constantFrom('letters', 'lowercase', 'uppercase', 'digits', '', ' 1', '1.0', '1e1'),
  );
  const name = fc.oneof(fc.constantFrom('len', 'num', 'chars'), fc.string());
  const query = fc.option(fc.dictionary(name, fc.option(value, { nil: undefined })), { nil: null });
  const multi = fc.option(fc.dictionary(name, fc.option(fc.array(value, { maxLength: 3 }), { nil: undefined })), {
    nil: null,
  });

  it('answers 200 with strings meeting the contract, or 400 with a message; never throws', () => {
    fc.assert(
      fc.property(query, multi, (q, m) => {
        const res = handleRequest(q, m);
        const body = JSON.parse(res.body);
        if (res.statusCode === 400) {
          expect(typeof body.message).toBe('string');
          return;
        }
        expect(res.statusCode).toBe(200);
        const param = (n: string) => q?.[n] ?? m?.[n]?.[0];
        const len = Number(param('len') ?? 1);
        const num = Number(param('num') ?? 1);
        const chars = CHARSETS[(param('chars') ?? 'letters') as keyof typeof CHARSETS];
        expect(body).toHaveLength(num);
        for (const s of body) {
          expect(s).toHaveLength(len);
          for (const c of s) expect(chars).toContain(c);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
