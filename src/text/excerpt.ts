// The start of a partner's words where a line quotes them (a staff list, a reply naming the question).

/** At most `n` characters, with … when cut. */
export const excerpt = (s: string, n = 30) => (s.length > n ? `${s.slice(0, n)}…` : s);
