import { contractViolation, missingMessage } from '../../../../tools/smoke/contract';

const q = { len: 3, num: 2, chars: 'digits' as const };

describe('the /random/strings contract check', () => {
  test('accepts num strings of len characters from the charset', () => {
    expect(contractViolation('["123","456"]', q)).toBeUndefined();
  });

  test.each([
    ['not json', /body is not JSON/],
    ['{"a":1}', /expected a JSON array/],
    ['["123"]', /expected 2 strings, got 1/],
    ['["123",4]', /item 1 is not a string/],
    ['["123","45"]', /item 1 has length 2, expected 3/],
    ['["123","4a6"]', /item 1 has characters outside digits/],
  ])('refuses %s', (body, message) => {
    expect(contractViolation(body, q)).toMatch(message);
  });

  test('an error body needs a non-empty message', () => {
    expect(missingMessage('{"message":"len must be 1-20"}')).toBeUndefined();
    expect(missingMessage('{"message":""}')).toMatch(/expected a JSON body with a "message"/);
    expect(missingMessage('Bad Request')).toMatch(/expected a JSON body with a "message", got Bad Request/);
  });
});
