import { parseArgs } from 'node:util';

/** A mistake on the command line: printed with the usage text, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** One line for the usage text. */
  readonly description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export type ParsedOptions<S extends OptionSpecs> = {
  readonly [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : string;
};

/** Usage text listing every option, for `--help` and for errors. */
export function usageText(command: string, specs: OptionSpecs): string {
  const width = Math.max(...Object.entries(specs).map(([k, s]) => k.length + (s.type === 'string' ? 8 : 0)));
  const lines = Object.entries(specs).map(([name, s]) => {
    const flag = s.type === 'string' ? `--${name} <value>` : `--${name}`;
    return `  ${flag.padEnd(width + 4)}  ${s.description}`;
  });
  return `usage: ${command}\n${lines.join('\n')}`;
}

/**
 * Strict parsing: unknown options, a missing value and stray positionals are
 * errors that name the offending argument, never silently ignored.
 */
export function parseCommandLine<S extends OptionSpecs>(argv: readonly string[], specs: S): ParsedOptions<S> {
  const options = Object.fromEntries(Object.entries(specs).map(([name, s]) => [name, { type: s.type }]));
  try {
    const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
    return values as ParsedOptions<S>;
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** An integer option in [min, max]; absent gives `fallback`. */
export function intOption(name: string, raw: string | undefined, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** One of a fixed set of values; absent gives `fallback`. */
export function choiceOption<T extends string>(
  name: string,
  raw: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return raw as T;
}

/** A required option; the message says what to pass. */
export function requiredOption(name: string, raw: string | undefined, example: string): string {
  if (raw === undefined || raw === '') throw new UsageError(`--${name} is required, e.g. --${name} ${example}`);
  return raw;
}
