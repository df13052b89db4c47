// A table's row as better-sqlite3 returns it, derived from the model Prisma generates from
// prisma/schema.prisma (the one definition of every table), so no reader mirrors a table by hand:
// BigInt columns come back as numbers (safeIntegers is off; milliseconds fit), Booleans as 0 or 1.
export type SqliteColumn<T> = T extends bigint ? number : T extends boolean ? number : T;

export type SqliteRow<Model> = { [K in keyof Model]: SqliteColumn<Model[K]> };
