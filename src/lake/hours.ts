/** A UTC hour: the unit of partitioning, compaction and provisional/final usage. */
export interface Hour {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  /** 1-31 */
  readonly day: number;
  /** 0-23 */
  readonly hour: number;
}

const HOUR_MS = 3_600_000;
const HOUR_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/;

/** The hour that contains `date` (UTC). */
export function hourOf(date: Date): Hour {
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
  };
}

/** Start of the hour as a Date. */
export function hourStart(h: Hour): Date {
  return new Date(Date.UTC(h.year, h.month - 1, h.day, h.hour));
}

/** The hour `n` hours after `h` (negative for before); rolls over days, months and years in UTC. */
export function addHours(h: Hour, n: number): Hour {
  return hourOf(new Date(hourStart(h).getTime() + n * HOUR_MS));
}

/** `2026-11-30T05`: the form the compaction job and CLI accept and print. */
export function formatHour(h: Hour): string {
  return `${h.year}-${pad(h.month)}-${pad(h.day)}T${pad(h.hour)}`;
}

/** Parses `YYYY-MM-DDTHH` (UTC); throws a message naming the bad value. */
export function parseHour(text: string): Hour {
  const m = HOUR_PATTERN.exec(text);
  if (!m) throw new Error(`expected an hour as YYYY-MM-DDTHH (UTC), e.g. 2026-11-30T05, got ${JSON.stringify(text)}`);
  const h: Hour = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]) };
  const round = hourOf(hourStart(h));
  if (formatHour(round) !== text) throw new Error(`expected a real UTC hour, got ${JSON.stringify(text)}`);
  return round;
}

/** Every hour from `from` to `to`, both included. */
export function hoursBetween(from: Hour, to: Hour): Hour[] {
  const out: Hour[] = [];
  for (let t = hourStart(from).getTime(); t <= hourStart(to).getTime(); t += HOUR_MS) out.push(hourOf(new Date(t)));
  return out;
}

/** Hive-style partition path as Firehose writes it: `year=2026/month=11/day=30/hour=05/`. */
export function partitionPath(h: Hour): string {
  return `year=${h.year}/month=${pad(h.month)}/day=${pad(h.day)}/hour=${pad(h.hour)}/`;
}

export function pad(n: number): string {
  return String(n).padStart(2, '0');
}
