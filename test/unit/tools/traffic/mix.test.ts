import { planRequests, requestUrl } from '../../../../tools/traffic/mix';

/** A seeded generator, so the mix is reproducible. */
function seeded(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('planRequests', () => {
  const plan = planRequests(1000, 0.2, seeded(42));

  test('mixes valid and invalid requests in about the asked share', () => {
    const invalid = plan.filter((r) => r.expectedStatus === 400).length;
    expect(invalid).toBeGreaterThan(150);
    expect(invalid).toBeLessThan(250);
  });

  test('valid requests stay inside the documented ranges and charsets', () => {
    for (const r of plan.filter((p) => p.expectedStatus === 200)) {
      const { len, num, chars } = r.params as Record<string, string>;
      expect(Number(len)).toBeGreaterThanOrEqual(1);
      expect(Number(len)).toBeLessThanOrEqual(20);
      expect(Number(num)).toBeGreaterThanOrEqual(1);
      expect(Number(num)).toBeLessThanOrEqual(100);
      expect(['letters', 'lowercase', 'uppercase', 'digits']).toContain(chars);
    }
  });

  test('invalid requests cover every broken rule', () => {
    const kinds = new Set(plan.filter((p) => p.expectedStatus === 400).map((p) => p.kind));
    expect([...kinds].sort()).toEqual(
      ['chars=emoji', 'len=0', 'len=1.5', 'len=21', 'num=0', 'num=101', 'num=abc', 'repeated len'].sort(),
    );
  });

  test('a share of 0 gives only valid requests', () => {
    expect(planRequests(50, 0, seeded(1)).every((r) => r.expectedStatus === 200)).toBe(true);
  });
});

describe('requestUrl', () => {
  test('repeats a parameter given twice', () => {
    expect(requestUrl('https://h/dev/', { len: ['3', '4'], num: '2' })).toBe(
      'https://h/dev/random/strings?len=3&len=4&num=2',
    );
  });
});
