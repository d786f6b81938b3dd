// Loads Prisma's WASM schema engine over a driver adapter (the native engine cannot be downloaded here).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

type DiffTarget = { tag: "schemaDatasource"; files: { path: string; content: string }[]; configDir: string } | { tag: "schemaDatamodel"; files: { path: string; content: string }[] };
export type SchemaEngine = {
  diff(input: { from: DiffTarget; to: DiffTarget; script: boolean; exitCode: boolean; filters: { externalTables: string[]; externalEnums: string[] } }): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

let wasmModule: Promise<typeof import("@prisma/schema-engine-wasm/schema_engine_bg")> | undefined;

function loadWasm() {
  wasmModule ??= (async () => {
    const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const require = createRequire(import.meta.url);
    const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { "./schema_engine_bg.js": bg as never });
    bg.__wbg_set_wasm(instance.exports);
    return bg;
  })();
  return wasmModule;
}

// Column type codes 64 and above are array types in @prisma/driver-adapter-utils' ColumnTypeEnum.
const FIRST_ARRAY_COLUMN_TYPE = 64;

// Two quirks of this WASM engine build over driver adapters: it needs a schema name in the
// connection info (the adapters leave it unset), and it rejects JS null/undefined in result rows
// ("expected any valid JSON value"). NaN converts to JSON null inside the engine, so NULLs are
// passed as NaN, and NULL arrays (pg_class.reloptions for tables without options) as [].
function forSchemaEngine(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  type Adapter = Awaited<ReturnType<SqlMigrationAwareDriverAdapterFactory["connect"]>>;
  const patch = (adapter: Adapter): Adapter => {
    const info = adapter.getConnectionInfo?.bind(adapter);
    adapter.getConnectionInfo = () => ({ supportsRelationJoins: true, ...info?.(), schemaName: info?.().schemaName ?? "public" });
    const queryRaw = adapter.queryRaw.bind(adapter);
    adapter.queryRaw = async (query) => {
      const result = await queryRaw(query);
      const arrayColumns = result.columnTypes.flatMap((t, i) => (t >= FIRST_ARRAY_COLUMN_TYPE ? [i] : []));
      for (const row of result.rows) {
        for (let i = 0; i < row.length; i++) if (row[i] === null) row[i] = arrayColumns.includes(i) ? [] : Number.NaN;
      }
      return result;
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}

export async function openSchemaEngine(adapterFactory: SqlMigrationAwareDriverAdapterFactory, schemaPath: string, schemaText: string): Promise<SchemaEngine> {
  const bg = await loadWasm();
  const engine = await bg.SchemaEngine.new({ datamodels: [[schemaPath, schemaText]] }, () => undefined, bindMigrationAwareSqlAdapterFactory(forSchemaEngine(adapterFactory)));
  return engine as unknown as SchemaEngine;
}
