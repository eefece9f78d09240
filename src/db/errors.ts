/** Prisma's "unique constraint failed", the same code on SQLite and PostgreSQL. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}
