import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { S3Client } from "@aws-sdk/client-s3";
import { loadConfig } from "../config";
import type { Env } from "../config/env";
import { openDatabase } from "../db/client";
import { exportLake } from "./export";
import { folderTarget, type LakeTarget, s3Target } from "./target";

/**
 * `npm run lake:export -- --out ./lake` (a folder) or `--bucket <name> [--prefix lake/]` (S3: the
 * scheduled task in AWS, which sets LAKE_BUCKET / LAKE_PREFIX instead). The database is the one
 * the API uses (DATABASE_URL…, or the embedded one under DATA_DIR while the API is stopped).
 * Prints the run's report as one JSON line; exits 1 on failure (the next run repairs a failed one).
 */
const USAGE =
  "usage: lake:export (--out <folder> | --bucket <name> [--prefix <prefix>]) [--settle-seconds <n>]";

function targetFrom(values: { out?: string; bucket?: string; prefix?: string }, env: Env): LakeTarget {
  const bucket = values.bucket ?? process.env.LAKE_BUCKET;
  if (values.out && bucket) throw new Error(`--out and --bucket are exclusive. ${USAGE}`);
  // npm runs workspace scripts inside the workspace: a relative path means where npm was called.
  if (values.out) return folderTarget(resolve(process.env.INIT_CWD ?? process.cwd(), values.out));
  if (bucket) {
    // The API's S3 settings (S3_REGION, S3_ENDPOINT, S3_FORCE_PATH_STYLE: also S3-compatible stores).
    const client = new S3Client({
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    return s3Target(client, bucket, values.prefix ?? process.env.LAKE_PREFIX ?? "");
  }
  throw new Error(USAGE);
}

try {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      bucket: { type: "string" },
      prefix: { type: "string" },
      "settle-seconds": { type: "string" },
    },
  });
  const config = loadConfig(process.env);
  const target = targetFrom(values, config.env);
  const settle = values["settle-seconds"] ?? process.env.LAKE_SETTLE_SECONDS;
  const settleSeconds = settle === undefined ? undefined : Number(settle);
  if (settleSeconds !== undefined && !(settleSeconds >= 0))
    throw new Error(`--settle-seconds: a number ≥ 0. ${USAGE}`);
  const database = await openDatabase(config.database);
  try {
    console.log(JSON.stringify(await exportLake(database, target, { settleSeconds })));
  } finally {
    await database.close();
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
