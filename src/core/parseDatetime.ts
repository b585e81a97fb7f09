// ISO 8601 dates and datetimes, with 'T' or ' ' separator, optional fraction and offset.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const SLASHED = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Parses an ISO 8601 date or datetime (or `YYYY/MM/DD[ hh:mm[:ss]]`) to epoch milliseconds.
 * Values without an offset are read as UTC: a stream has no "local" zone, and datetime features
 * apply an explicit zone later. Returns `undefined` when `s` is not such a date or is out of range.
 */
export function parseDatetime(s: string): number | undefined {
  let m = ISO.exec(s);
  let offsetMin = 0;
  let frac = 0;
  if (m) {
    if (m[7]) frac = Number((m[7] + '00').slice(0, 3));
    const z = m[8];
    if (z && z !== 'Z') {
      const sign = z[0] === '-' ? -1 : 1;
      const digits = z.slice(1).replace(':', '');
      offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
    }
  } else {
    m = SLASHED.exec(s);
    if (!m) return undefined;
  }
  const y = +m[1]!, mo = +m[2]!, d = +m[3]!, h = +(m[4] ?? 0), mi = +(m[5] ?? 0), se = +(m[6] ?? 0);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || se > 60) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, se, frac);
  // Reject day overflow such as 2023-02-30, which Date.UTC would roll into March.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
  return t - offsetMin * 60_000;
}
