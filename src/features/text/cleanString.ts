export interface CleanStringOptions {
  /** Lower-case (default true). */
  lowercase?: boolean;
  /** Remove HTML tags and decode the common entities (default true). */
  stripHtml?: boolean;
  /** Remove http(s):// and www. URLs and e-mail addresses (default true). */
  stripUrls?: boolean;
  /** Remove numbers (default false). */
  stripNumbers?: boolean;
  /** Replace punctuation and symbols by spaces (default true). */
  stripPunctuation?: boolean;
}

const TAG = /<[^>]*>/g;
const ENTITY = /&(amp|lt|gt|quot|apos|nbsp|#\d+|#x[0-9a-f]+);/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const URL = /\b(?:https?:\/\/|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+/gi;
const NUMBER = /\p{N}+(?:[.,]\p{N}+)*/gu;
const PUNCT = /[^\p{L}\p{N}\s]+/gu;
const SPACE = /\s+/g;

/**
 * Cleans one string: HTML, URLs, case, numbers, punctuation (each optional), then collapses
 * whitespace to single spaces and trims. Steps run in that order, so a URL inside an HTML
 * attribute goes with its tag and a number's decimal point is gone before punctuation runs.
 */
export function cleanString(s: string, options: CleanStringOptions = {}): string {
  let t = s;
  if (options.stripHtml ?? true) {
    t = t.replace(TAG, ' ').replace(ENTITY, (_m, e: string) => {
      const k = e.toLowerCase();
      if (k in NAMED) return NAMED[k]!;
      const code = k.startsWith('#x') ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
      return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
    });
  }
  if (options.stripUrls ?? true) t = t.replace(URL, ' ');
  if (options.lowercase ?? true) t = t.toLowerCase();
  if (options.stripNumbers ?? false) t = t.replace(NUMBER, ' ');
  if (options.stripPunctuation ?? true) t = t.replace(PUNCT, ' ');
  return t.replace(SPACE, ' ').trim();
}
