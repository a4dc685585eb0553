import { addHours, type Hour, hoursBetween } from '../hours';

/**
 * A WHERE predicate that selects exactly the hourly partitions from `from` to
 * `to` (inclusive) with equality and BETWEEN on the partition columns only, the
 * form partition projection prunes on. Whole months and whole days collapse, so
 * a month is one short clause rather than 744.
 */
export function hourRangePredicate(from: Hour, to: Hour, alias?: string): string {
  const c = (name: string) => (alias ? `${alias}.${name}` : name);
  const hours = hoursBetween(from, to);
  if (hours.length === 0) throw new Error('hourRangePredicate: empty range');
  const days = new Map<string, Hour[]>();
  for (const h of hours) {
    const key = `${h.year}-${h.month}-${h.day}`;
    days.set(key, [...(days.get(key) ?? []), h]);
  }
  const months = new Map<string, { year: number; month: number; fullDays: number[]; partial: Hour[][] }>();
  for (const list of days.values()) {
    const { year, month, day } = list[0];
    const key = `${year}-${month}`;
    const m = months.get(key) ?? { year, month, fullDays: [], partial: [] };
    if (list.length === 24) m.fullDays.push(day);
    else m.partial.push(list);
    months.set(key, m);
  }
  const clauses: string[] = [];
  for (const m of months.values()) {
    const ym = `${c('year')} = ${m.year} AND ${c('month')} = ${m.month}`;
    const daysInMonth = new Date(Date.UTC(m.year, m.month, 0)).getUTCDate();
    if (m.fullDays.length === daysInMonth) {
      clauses.push(`(${ym})`);
      continue;
    }
    if (m.fullDays.length > 0) {
      const lo = Math.min(...m.fullDays);
      const hi = Math.max(...m.fullDays);
      clauses.push(`(${ym} AND ${lo === hi ? `${c('day')} = ${lo}` : `${c('day')} BETWEEN ${lo} AND ${hi}`})`);
    }
    for (const list of m.partial) {
      const first = list[0];
      const last = list[list.length - 1];
      const hourClause =
        first.hour === last.hour
          ? `${c('hour')} = ${first.hour}`
          : `${c('hour')} BETWEEN ${first.hour} AND ${last.hour}`;
      clauses.push(`(${ym} AND ${c('day')} = ${first.day} AND ${hourClause})`);
    }
  }
  return clauses.length === 1 ? clauses[0] : `(${clauses.join(' OR ')})`;
}

/** Predicate for one hour. */
export function hourPredicate(h: Hour, alias?: string): string {
  return hourRangePredicate(h, h, alias);
}

/** First and last hour of a calendar month (UTC). */
export function monthHours(year: number, month: number): { from: Hour; to: Hour } {
  const from: Hour = { year, month, day: 1, hour: 0 };
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return { from, to: addHours({ ...next, day: 1, hour: 0 }, -1) };
}
