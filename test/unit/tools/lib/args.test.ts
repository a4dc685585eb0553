import { choiceOption, intOption, parseCommandLine, requiredOption, UsageError } from '../../../../tools/lib/args';

const SPECS = {
  env: { type: 'string', description: 'stage' },
  'round-trip': { type: 'boolean', description: 'round trip' },
} as const;

describe('command-line parsing', () => {
  test('reads string and boolean options', () => {
    expect(parseCommandLine(['--env', 'dev', '--round-trip'], SPECS)).toEqual({ env: 'dev', 'round-trip': true });
  });

  test.each([
    [['--evn', 'dev'], /--evn/],
    [['dev'], /positional argument/i],
    [['--env'], /--env/],
  ])('%j is a usage error naming the problem', (argv, message) => {
    expect(() => parseCommandLine(argv, SPECS)).toThrow(UsageError);
    expect(() => parseCommandLine(argv, SPECS)).toThrow(message);
  });

  test('integer options are checked against their range', () => {
    expect(intOption('count', undefined, 1, 10, 5)).toBe(5);
    expect(intOption('count', '10', 1, 10, 5)).toBe(10);
    for (const bad of ['0', '11', '1.5', 'abc', '', '-3']) {
      expect(() => intOption('count', bad, 1, 10, 5)).toThrow('--count: expected an integer from 1 to 10');
    }
  });

  test('choice and required options say what is allowed', () => {
    expect(choiceOption('format', 'csv', ['table', 'csv'], 'table')).toBe('csv');
    expect(() => choiceOption('format', 'xml', ['table', 'csv'], 'table')).toThrow(
      '--format: expected one of table, csv, got "xml"',
    );
    expect(() => requiredOption('env', undefined, 'prod')).toThrow('--env is required, e.g. --env prod');
  });
});
