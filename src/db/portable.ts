// Why a PostgreSQL client may stand where the code expects a Db, checked by the compiler.
//
// Db is the SQLite client's type: SQLite's API is the smaller one (no `mode: "insensitive"`, no
// `skipDuplicates`, Serializable transactions only), so code written against it uses only what both
// databases offer. TypeScript cannot relate the two generated clients as wholes: their methods are
// generic over conditional result types, and it gives up comparing those across two declarations
// (`const db: Db = postgresClient` fails on $transaction and every delegate's aggregate). So the claim is
// checked where it can be, on each client's TypeMap, model by model and operation by operation:
// whatever the code may pass under SQLite's types PostgreSQL accepts, and whatever PostgreSQL returns is
// what the code expects. A schema change that breaks this (a PostgreSQL-only type, a model generated for
// one database only) makes `postgresAsDb` fail to compile, naming the model and operation.
import type { Prisma as Sqlite, PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import type { Prisma as Postgres, PrismaClient as PostgresClient } from "./generated/postgres/client.ts";

type SqliteMap = Sqlite.TypeMap;
type PostgresMap = Postgres.TypeMap;

type Fits<A, B> = [A] extends [B] ? true : false;
type Part<Ops, O, K extends "args" | "result"> = O extends keyof Ops ? (K extends keyof Ops[O] ? Ops[O][K] : never) : never;

/** Per operation of one model: what is wrong with it ("missing", "arguments", "result"), or nothing. */
type OperationProblems<SqliteOps, PostgresOps> = {
  [O in keyof SqliteOps as Problem<SqliteOps, PostgresOps, O> extends never ? never : O]: Problem<SqliteOps, PostgresOps, O>;
};
type Problem<SqliteOps, PostgresOps, O> = O extends keyof PostgresOps
  ?
      | (Fits<Part<SqliteOps, O, "args">, Part<PostgresOps, O, "args">> extends true ? never : "arguments SQLite's types allow are not PostgreSQL's")
      | (Fits<Part<PostgresOps, O, "result">, Part<SqliteOps, O, "result">> extends true ? never : "PostgreSQL's result is not what SQLite's types promise")
  : "missing on PostgreSQL";

type ModelProblems<M extends keyof SqliteMap["model"]> = M extends keyof PostgresMap["model"]
  ? OperationProblems<SqliteMap["model"][M]["operations"], PostgresMap["model"][M]["operations"]> &
      (Fits<PostgresMap["model"][M]["payload"], SqliteMap["model"][M]["payload"]> extends true ? unknown : { payload: "PostgreSQL's rows differ" })
  : { model: "missing on PostgreSQL" };

/** Everything that does not hold, by model; {} when PostgreSQL is a Db. */
export type Mismatches = {
  [M in keyof SqliteMap["model"] as keyof ModelProblems<M> extends never ? never : M]: ModelProblems<M>;
} & (Fits<PostgresMap["meta"]["modelProps"], SqliteMap["meta"]["modelProps"]> extends true ? unknown : { models: "PostgreSQL has models SQLite has not" }) &
  (Fits<SqliteMap["meta"]["txIsolationLevel"], PostgresMap["meta"]["txIsolationLevel"]> extends true ? unknown : { transactions: "an isolation level PostgreSQL lacks" }) &
  (keyof OperationProblems<SqliteMap["other"]["operations"], PostgresMap["other"]["operations"]> extends never ? unknown : { raw: OperationProblems<SqliteMap["other"]["operations"], PostgresMap["other"]["operations"]> });

// The check can fail: PostgreSQL takes arguments SQLite's types do not (mode: "insensitive", skipDuplicates),
// so the other way round does not hold.
// @ts-expect-error the reverse claim is false
const reverseFails: Fits<PostgresMap["model"]["Partner"]["operations"]["findMany"]["args"], SqliteMap["model"]["Partner"]["operations"]["findMany"]["args"]> = true;
void reverseFails;

/**
 * The PostgreSQL client as the Db the code is written against. The conversion is the one TypeScript
 * cannot make itself (see above); it compiles only while Mismatches is empty.
 */
export function postgresAsDb(client: PostgresClient): SqliteClient {
  const nothingDiffers: Mismatches = {};
  void nothingDiffers;
  return client as unknown as SqliteClient;
}
