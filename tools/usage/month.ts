import { PARTITION_RANGES } from '../../src/lake/tables';
import { UsageError } from '../lib/args';

export interface Month {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
}

/**
 * Parses `--month YYYY-MM`: a real month the lake can hold (the partition
 * projection range) that has started by `now`.
 */
export function parseMonth(text: string | undefined, now: Date): Month {
  if (text === undefined) throw new UsageError('--month is required, e.g. --month 2026-11');
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m) throw new UsageError(`--month: expected YYYY-MM, e.g. 2026-11, got ${JSON.stringify(text)}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw new UsageError(`--month: month must be 01 to 12, got ${JSON.stringify(text)}`);
  const [minYear, maxYear] = PARTITION_RANGES.year;
  if (year < minYear || year > maxYear) {
    throw new UsageError(`--month: the lake holds years ${minYear} to ${maxYear}, got ${JSON.stringify(text)}`);
  }
  const current = { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 };
  if (year * 12 + month > current.year * 12 + current.month) {
    throw new UsageError(
      `--month: ${text} has not started yet (it is ${formatMonth(current)} UTC): no usage to report`,
    );
  }
  return { year, month };
}

export function formatMonth(m: Month): string {
  return `${m.year}-${String(m.month).padStart(2, '0')}`;
}

/** Whether `m` is the month `now` is in: its figures are to date, not the whole month. */
export function isCurrentMonth(m: Month, now: Date): boolean {
  return m.year === now.getUTCFullYear() && m.month === now.getUTCMonth() + 1;
}
