/** The calendar and clock parts DatetimeParts adds (`<column>_<part>`). */
export const DATETIME_PARTS = ['year', 'month', 'dayOfMonth', 'dayOfWeek', 'dayOfYear', 'hour', 'minute'] as const;

export type DatetimePart = (typeof DATETIME_PARTS)[number];
