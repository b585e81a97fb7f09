// ISO 8601 dates and datetimes, with 'T' or ' ' separator, optional fraction and offset.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const SLASHED = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
// Month-name dates as US data writes them: `Jan 1 2000`, `January 1, 2000`, `Sept. 5, 2001`, and
// day first: `1 Jan 2000`, `01-Jan-2000`; each with an optional ` hh:mm[:ss]`.
const TIME = '(?:,?\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?$';
const MONTH_DAY = new RegExp(`^([A-Za-z]{3,9})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${TIME}`);
const DAY_MONTH = new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+|-)([A-Za-z]{3,9})\\.?,?(?:\\s+|-)(\\d{4})${TIME}`);
const MONTHS = new Map(
  Object.entries({
    jan: 1,
    january: 1,
    feb: 2,
    february: 2,
    mar: 3,
    march: 3,
    apr: 4,
    april: 4,
    may: 5,
    jun: 6,
    june: 6,
    jul: 7,
    july: 7,
    aug: 8,
    august: 8,
    sep: 9,
    sept: 9,
    september: 9,
    oct: 10,
    october: 10,
    nov: 11,
    november: 11,
    dec: 12,
    december: 12,
  }),
);

/**
 * Parses an ISO 8601 date or datetime (or `YYYY/MM/DD[ hh:mm[:ss]]`, or a date with an English
 * month name: `Jan 1 2000`, `January 1, 2000`, `1 Jan 2000`, `01-Jan-2000`) to epoch milliseconds.
 * Values without an offset are read as UTC: a stream has no "local" zone, and datetime features
 * apply an explicit zone later. Returns `undefined` when `s` is not such a date or is out of range.
 */
export function parseDatetime(s: string): number | undefined {
  let m = ISO.exec(s);
  let offsetMin = 0;
  let frac = 0;
  if (m) {
    if (m[7]) frac = Number(`${m[7]}00`.slice(0, 3));
    const z = m[8];
    if (z && z !== 'Z') {
      const sign = z[0] === '-' ? -1 : 1;
      const digits = z.slice(1).replace(':', '');
      offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
    }
  } else {
    m = SLASHED.exec(s);
    if (!m) return monthName(s);
  }
  return utc(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), frac, offsetMin);
}

/** `Jan 1 2000` and the other month-name forms (see MONTH_DAY, DAY_MONTH). */
function monthName(s: string): number | undefined {
  let m = MONTH_DAY.exec(s);
  let mo: number | undefined, d: number;
  if (m) {
    mo = MONTHS.get(m[1]!.toLowerCase());
    d = +m[2]!;
  } else {
    m = DAY_MONTH.exec(s);
    if (!m) return undefined;
    mo = MONTHS.get(m[2]!.toLowerCase());
    d = +m[1]!;
  }
  if (mo === undefined) return undefined;
  return utc(+m[3]!, mo, d, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), 0, 0);
}

function utc(y: number, mo: number, d: number, h: number, mi: number, se: number, frac: number, offsetMin: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || se > 60) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, se, frac);
  // Reject day overflow such as 2023-02-30, which Date.UTC would roll into March.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
  return t - offsetMin * 60_000;
}
