// The Prisma schema is the source of truth; this test fails when the hand-written SQL
// migrations and schema.prisma disagree (tables, columns, types, nullability, keys, indexes,
// foreign keys). It parses the schema with Prisma's own wasm parser, no engine needed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import { z } from "zod";
import { migrate } from "./migrate";

const fieldSchema = z.object({
  name: z.string(),
  kind: z.string(),
  type: z.string(),
  isRequired: z.boolean(),
  isId: z.boolean(),
  isUnique: z.boolean(),
  relationFromFields: z.array(z.string()).optional(),
  relationToFields: z.array(z.string()).optional(),
  relationOnDelete: z.string().optional(),
});
const dmmfSchema = z.object({
  datamodel: z.object({
    models: z.array(
      z.object({
        name: z.string(),
        fields: z.array(fieldSchema),
        primaryKey: z.object({ fields: z.array(z.string()) }).nullable(),
      }),
    ),
    indexes: z.array(
      z.object({ model: z.string(), type: z.string(), isDefinedOnField: z.boolean(), fields: z.array(z.object({ name: z.string() })) }),
    ),
  }),
});

const sqliteType: Record<string, string> = {
  String: "TEXT",
  Int: "INTEGER",
  BigInt: "BIGINT",
  Boolean: "BOOLEAN",
  DateTime: "DATETIME",
  Float: "REAL",
  Bytes: "BLOB",
};

const columnRow = z.object({ name: z.string(), type: z.string(), notnull: z.number(), pk: z.number() });
const indexRow = z.object({ name: z.string(), unique: z.number(), origin: z.string() });
const indexColumnRow = z.object({ name: z.string() });
const foreignKeyRow = z.object({ id: z.number(), table: z.string(), from: z.string(), to: z.string(), on_delete: z.string() });

test("migrations produce exactly the tables, columns, keys and indexes of schema.prisma", () => {
  const schema = readFileSync("prisma/schema.prisma", "utf8");
  const dmmf = dmmfSchema.parse(JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: schema }))));
  const db = new Database(":memory:");
  migrate(db);

  const tables = z
    .array(z.object({ name: z.string() }))
    .parse(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('_prisma_migrations', 'sqlite_sequence') ORDER BY name`).all())
    .map((t) => t.name);
  assert.deepEqual(tables, dmmf.datamodel.models.map((m) => m.name).sort(), "tables");

  for (const model of dmmf.datamodel.models) {
    const columns = z.array(columnRow).parse(db.pragma(`table_info("${model.name}")`));
    const scalars = model.fields.filter((f) => f.kind === "scalar");
    assert.deepEqual(
      columns.map((c) => `${c.name} ${c.type} ${c.notnull ? "NOT NULL" : "NULL"}`).sort(),
      scalars.map((f) => `${f.name} ${sqliteType[f.type] ?? f.type} ${f.isRequired ? "NOT NULL" : "NULL"}`).sort(),
      `${model.name}: columns`,
    );
    const primaryKey = model.primaryKey?.fields ?? scalars.filter((f) => f.isId).map((f) => f.name);
    assert.deepEqual(
      columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      primaryKey,
      `${model.name}: primary key`,
    );

    const expectedIndexes = dmmf.datamodel.indexes
      .filter((i) => i.model === model.name && (i.type === "normal" || i.type === "unique"))
      .map((i) => `${i.type === "unique" ? "UNIQUE " : ""}(${i.fields.map((f) => f.name).join(",")})`)
      .sort();
    const actualIndexes = z
      .array(indexRow)
      .parse(db.pragma(`index_list("${model.name}")`))
      .filter((i) => i.origin !== "pk")
      .map((i) => {
        const cols = z.array(indexColumnRow).parse(db.pragma(`index_info("${i.name}")`)).map((c) => c.name);
        return `${i.unique ? "UNIQUE " : ""}(${cols.join(",")})`;
      })
      .sort();
    assert.deepEqual(actualIndexes, expectedIndexes, `${model.name}: indexes`);

    const expectedKeys = model.fields
      .filter((f) => f.kind === "object" && (f.relationFromFields?.length ?? 0) > 0)
      .flatMap((f) => (f.relationFromFields ?? []).map((from, i) => `${from}->${f.type}.${f.relationToFields?.[i]} ${(f.relationOnDelete ?? "").toUpperCase()}`))
      .sort();
    const actualKeys = z
      .array(foreignKeyRow)
      .parse(db.pragma(`foreign_key_list("${model.name}")`))
      .map((k) => `${k.from}->${k.table}.${k.to} ${k.on_delete}`)
      .sort();
    assert.deepEqual(actualKeys, expectedKeys, `${model.name}: foreign keys`);
  }
});

test("migrating twice applies nothing the second time", () => {
  const db = new Database(":memory:");
  assert.ok(migrate(db).length > 0);
  assert.deepEqual(migrate(db), []);
});

test("a migration edited after it was applied stops the site", () => {
  const db = new Database(":memory:");
  migrate(db, [{ name: "001_a", sql: "CREATE TABLE a (x INTEGER);", checksum: "one" }]);
  assert.throws(() => migrate(db, [{ name: "001_a", sql: "CREATE TABLE a (y INTEGER);", checksum: "two" }]), /was changed/);
});
