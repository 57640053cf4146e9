// deploy/compose: docker-compose.yml references (build contexts, Dockerfiles, bind mounts,
// variables), the nginx upstreams against the API replicas and their PORT, and nginx's routes.
import { statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { envOf, instructionsOf, parseDockerfile } from "./lib/dockerfile.ts";
import { type Directive, find, locations, matchLocation, one, parseNginx } from "./lib/nginx.ts";
import { exists, read, root } from "./lib/repo.ts";

const COMPOSE = "deploy/compose/docker-compose.yml";
const composeDir = join(root, dirname(COMPOSE));

interface Service {
  build?: { context: string; dockerfile?: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  networks?: string[];
}
const compose = parse(read(COMPOSE), { merge: true }) as {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean } | null>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

const nginxText = read("deploy/compose/nginx.conf");
const nginx = parseNginx(nginxText);
const server = one(nginx, "server");

/** Path of a compose-relative path, relative to the repository root. */
function repoPath(p: string): string {
  return relative(root, resolve(composeDir, p));
}

function dockerfileOf(s: Service): string | undefined {
  if (!s.build) return undefined;
  return relative(root, resolve(composeDir, s.build.context, s.build.dockerfile ?? "Dockerfile"));
}

const apiServices = Object.entries(services).filter(([, s]) => dockerfileOf(s) === "apps/api/Dockerfile");
const replicas = apiServices.filter(([, s]) => s.command === undefined);

describe("docker-compose.yml", () => {
  it("has PostGIS, Valkey/Redis, a migration job, two API replicas and nginx", () => {
    expect(services.db?.image).toMatch(/^postgis\/postgis:/);
    expect(services.cache?.image).toMatch(/^(valkey\/valkey|redis):/);
    expect(replicas.map(([name]) => name)).toEqual(["api-1", "api-2"]);
    expect(services.migrate?.command).toEqual(["node", "apps/api/dist/migrate.js"]);
    expect(dockerfileOf(services.migrate as Service)).toBe("apps/api/Dockerfile");
  });

  it("every build context and Dockerfile exists", () => {
    for (const [name, s] of Object.entries(services)) {
      if (!s.build) continue;
      const context = repoPath(s.build.context);
      expect(statSync(join(root, context)).isDirectory(), `${name} context`).toBe(true);
      expect(exists(dockerfileOf(s) as string), `${name} dockerfile`).toBe(true);
    }
  });

  it("every bind-mounted file exists and named volumes are declared", () => {
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const [source] = v.split(":");
        if (!source) continue;
        if (source.startsWith(".") || source.startsWith("/")) {
          expect(exists(repoPath(source)), `${name}: ${source}`).toBe(true);
        } else {
          expect(compose.volumes, `${name}: volume ${source}`).toHaveProperty(source);
        }
      }
    }
  });

  it("depends_on and networks point at things that exist; the migration runs before the replicas", () => {
    for (const [name, s] of Object.entries(services)) {
      for (const dep of Object.keys(s.depends_on ?? {}))
        expect(services, `${name} → ${dep}`).toHaveProperty(dep);
      for (const net of s.networks ?? []) expect(compose.networks, `${name} network`).toHaveProperty(net);
      expect(s.depends_on ?? {}, `${name} must not depend on itself`).not.toHaveProperty(name);
    }
    for (const [name, s] of replicas) {
      expect(s.depends_on?.migrate?.condition, name).toBe("service_completed_successfully");
    }
  });

  it("every variable the file interpolates is documented in .env.example, and no secret is written inline", () => {
    const text = read(COMPOSE);
    const vars = new Set([...text.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1] as string));
    const example = read("deploy/compose/.env.example");
    for (const v of vars) expect(example, v).toMatch(new RegExp(`^${v}=`, "m"));
    for (const [, s] of apiServices) {
      expect(s.environment?.AUTH_SECRET).toMatch(/^\$\{AUTH_SECRET/);
    }
  });

  it("the database and cache are reachable only on the internal network (like RDS/ElastiCache)", () => {
    expect(compose.networks.backend?.internal).toBe(true);
    for (const name of ["db", "cache", ...apiServices.map(([n]) => n)]) {
      expect(services[name]?.ports, `${name} publishes no host port`).toBeUndefined();
      expect(services[name]?.networks).toEqual(["backend"]);
    }
  });

  it("nginx's upstream lists exactly the API replicas, on the API's PORT (= the image's EXPOSE)", () => {
    const upstream = one(nginx, "upstream");
    const servers = find(upstream.block ?? [], "server").map((d) => d.args[0]);
    const image = parseDockerfile(read("apps/api/Dockerfile"));
    const runtime = image.stages.at(-1);
    const exposed = runtime ? instructionsOf(runtime, "EXPOSE").map((i) => i.args.trim()) : [];
    const expected = replicas.map(([name, s]) => {
      const port = s.environment?.PORT ?? (runtime ? envOf(runtime).PORT : undefined);
      expect(exposed, name).toContain(port);
      expect(s.expose ?? [], name).toContain(port);
      return `${name}:${port}`;
    });
    expect(servers).toEqual(expected);
  });

  it("the web service mounts this nginx.conf and publishes nginx's listen port", () => {
    const web = services.web as Service;
    expect(web.volumes).toContain("./nginx.conf:/etc/nginx/conf.d/default.conf:ro");
    const listen = one(server.block ?? [], "listen").args[0];
    expect(web.ports?.map((p) => p.split(":").at(-1))).toEqual([listen]);
    expect(web.networks).toContain("backend");
  });
});

describe("nginx.conf routes", () => {
  const upstreamName = one(nginx, "upstream").args[0];
  const body = (uri: string): Directive[] => {
    const loc = matchLocation(server, uri);
    if (!loc) throw new Error(`no location for ${uri}`);
    return loc.body;
  };
  const args = (uri: string, name: string): string[] | undefined =>
    body(uri).find((d) => d.name === name)?.args;

  it("parses into one upstream and one server with locations", () => {
    expect(find(nginx, "upstream")).toHaveLength(1);
    expect(locations(server).length).toBeGreaterThanOrEqual(5);
    expect(one(server.block ?? [], "root").args[0]).toBe("/usr/share/nginx/html");
  });

  it("/ redirects (302) to /frontend/", () => {
    expect(args("/", "return")).toEqual(["302", "/frontend/"]);
    expect(args("/frontend", "return")).toEqual(["302", "/frontend/"]);
  });

  it("/frontend/f/<slug> serves fill.html", () => {
    expect(args("/frontend/f/censo-2026", "try_files")?.at(-1)).toBe("/frontend/fill.html");
    expect(args("/frontend/f/censo-2026", "try_files")?.[0]).toBe("$uri");
  });

  it("other extension-less /frontend paths serve index.html; files are served or 404", () => {
    for (const uri of ["/frontend/", "/frontend/orgs/1/forms", "/frontend/login"]) {
      expect(args(uri, "try_files")?.at(-1), uri).toBe("/frontend/index.html");
    }
    expect(args("/frontend/missing.js", "try_files")).toEqual(["$uri", "=404"]);
    expect(args("/frontend/fill.html", "try_files")).toEqual(["$uri", "=404"]);
    expect(args("/frontend/index.html", "try_files")).toEqual(["$uri", "=404"]);
  });

  it("hashed assets are immutable; HTML is no-cache", () => {
    const cache = (uri: string) =>
      body(uri).find((d) => d.name === "add_header" && d.args[0] === "Cache-Control")?.args[1];
    expect(cache("/frontend/assets/index-3f2a1b.js")).toContain("immutable");
    expect(args("/frontend/assets/index-3f2a1b.js", "try_files")).toEqual(["$uri", "=404"]);
    for (const uri of ["/frontend/", "/frontend/f/x", "/frontend/index.html", "/frontend/orgs"]) {
      expect(cache(uri), uri).toBe("no-cache");
    }
  });

  it("/backend/* is proxied, path unchanged, to the API upstream", () => {
    for (const uri of [
      "/backend/health/live",
      "/backend/public/forms/x/submissions",
      "/backend/auth/sign-in/email",
    ]) {
      expect(args(uri, "proxy_pass"), uri).toEqual([`http://${upstreamName}`]);
    }
    expect(args("/backend", "return")?.[1]).toBe("/backend/");
  });

  it("/backend/metrics is not public", () => {
    expect(body("/backend/metrics").some((d) => d.name === "deny" && d.args[0] === "all")).toBe(true);
  });
});
