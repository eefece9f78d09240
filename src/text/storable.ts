// Text as the database can keep it: both SQLite and PostgreSQL refuse some strings JavaScript allows.

/**
 * A string the database can store: no NUL (PostgreSQL text cannot hold it; no person types it), and no
 * half of a surrogate pair (an emoji cut in two), which neither database accepts as text: it becomes U+FFFD.
 */
export function storableText(s: string): string {
  const whole = s.isWellFormed() ? s : s.toWellFormed();
  return whole.includes("\u0000") ? whole.replaceAll("\u0000", "") : whole;
}

/** The first `max` characters, never ending in the first half of an emoji. */
export function cutText(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
