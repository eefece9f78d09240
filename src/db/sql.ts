// Raw SQL fragments for $queryRaw / $executeRaw, from the Prisma runtime both generated clients share (their
// `Prisma.sql`, `Prisma.join`, ... are these same functions), so code that runs on PostgreSQL imports
// nothing from the SQLite client.
import { empty, join, raw, sqltag, type ITXClientDenyList, type Sql } from "@prisma/client/runtime/client";
import type { Db } from "./client.ts";

export { empty, join, raw, sqltag as sql, type Sql };

/** What an interactive transaction's callback is given: the client less what only the top level may do. */
export type TransactionClient = Omit<Db, ITXClientDenyList>;

/** The same under the generated clients' names (Prisma.sql, Prisma.join, Prisma.TransactionClient). */
export const Prisma = { sql: sqltag, join, raw, empty };
export declare namespace Prisma {
  export type TransactionClient = Omit<Db, ITXClientDenyList>;
}
