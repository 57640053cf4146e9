// Bundles the API for AWS Lambda into apps/api/dist-lambda/ (npm run build:lambda -w @coleta/api):
//   handler.mjs  the API behind API Gateway (handler "handler.handler")
//   migrate.mjs  the one-off migration function (handler "migrate.handler")
//   drizzle/     the migrations; certs/amazon-roots.pem the CAs of the RDS Proxy's certificate
// Unlike the container bundle (scripts/build.mjs), npm dependencies are inlined too: a Lambda zip
// has no `npm ci`. The AWS SDK is inlined as well, so the version is ours, not the runtime's.
import { X509Certificate } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { rootCertificates } from "node:tls";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const apiDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const outdir = resolve(apiDir, process.argv[2] ?? "dist-lambda");
const require = createRequire(join(apiDir, "package.json"));

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: apiDir,
  entryPoints: { handler: "src/lambda/index.ts", migrate: "src/lambda/migrate.ts" },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  // The function's runtime (infra/aws/lib/constructs/lambda-api.ts: Node.js 24, ARM64).
  target: "node24",
  minify: true,
  sourcemap: true,
  // The embedded database is never opened on Lambda (a real PostgreSQL is required) and ships WASM;
  // swagger-ui-dist finds its files next to itself, so it is copied below instead of inlined.
  external: ["@electric-sql/pglite", "@electric-sql/pglite-postgis", "swagger-ui-dist", "swagger-ui-dist/*"],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  legalComments: "linked",
  logLevel: "warning",
  metafile: true,
});
writeFileSync(join(outdir, "meta.json"), JSON.stringify(result.metafile));
cpSync(join(apiDir, "drizzle"), join(outdir, "drizzle"), { recursive: true });

// The reference page's assets, the only files of swagger-ui-dist the API serves.
const swagger = dirname(require.resolve("swagger-ui-dist/package.json"));
const swaggerOut = join(outdir, "node_modules", "swagger-ui-dist");
mkdirSync(swaggerOut, { recursive: true });
for (const file of [
  "package.json",
  "absolute-path.js",
  "index.js",
  "swagger-ui.css",
  "swagger-ui-bundle.js",
  "swagger-ui-standalone-preset.js",
  "LICENSE",
  "NOTICE",
]) {
  cpSync(join(swagger, file), join(swaggerOut, file));
}

// RDS Proxy presents an ACM certificate (Amazon Trust Services), not the RDS CA: verify-full
// checks it against Amazon's roots, taken from Node's own store so nothing is downloaded.
const amazonRoots = rootCertificates.filter((pem) => /O=Amazon\b/.test(new X509Certificate(pem).subject));
if (amazonRoots.length === 0) throw new Error("No Amazon root CA in Node's certificate store");
mkdirSync(join(outdir, "certs"), { recursive: true });
writeFileSync(join(outdir, "certs", "amazon-roots.pem"), `${amazonRoots.join("\n")}\n`);

const size = (file) => `${(statSync(join(outdir, file)).size / 1024 / 1024).toFixed(1)} MB`;
const pkg = JSON.parse(readFileSync(join(apiDir, "package.json"), "utf8"));
console.log(
  `built ${outdir} for ${pkg.name}: handler.mjs ${size("handler.mjs")}, migrate.mjs ${size("migrate.mjs")}, ` +
    `drizzle/, certs/amazon-roots.pem (${amazonRoots.length} roots)`,
);
