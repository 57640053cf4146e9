// deploy/compose: docker-compose.yml references (build contexts, Dockerfiles, bind mounts,
// variables), the nginx upstreams against the API replicas and their PORT, nginx's routes, and the
// monitoring services (Prometheus, Alertmanager, Grafana) against the generated files they mount.
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

describe("monitoring services (deploy/monitoring/generated, mounted read-only)", () => {
  const prometheus = services.prometheus as Service;
  const alertmanager = services.alertmanager as Service;
  const grafana = services.grafana as Service;
  const GENERATED = "deploy/monitoring/generated";

  /** container path → repository path of each bind mount, and whether it is read-only. */
  function mounts(s: Service): Map<string, { source: string; readOnly: boolean }> {
    const map = new Map<string, { source: string; readOnly: boolean }>();
    for (const v of s.volumes ?? []) {
      const [source, target, mode] = v.split(":");
      if (!source || !target || !(source.startsWith(".") || source.startsWith("/"))) continue;
      map.set(target, { source: repoPath(source), readOnly: mode === "ro" });
    }
    return map;
  }
  /** The repository file a container path resolves to through the service's bind mounts. */
  function hostFile(s: Service, containerPath: string): string | undefined {
    for (const [target, m] of mounts(s)) {
      if (containerPath === target || containerPath.startsWith(`${target}/`)) {
        return join(m.source, containerPath.slice(target.length));
      }
    }
    return undefined;
  }
  const flag = (s: Service, name: string) =>
    s.command?.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

  it("has Prometheus, Alertmanager and Grafana images", () => {
    expect(prometheus.image).toMatch(/^prom\/prometheus:v\d/);
    expect(alertmanager.image).toMatch(/^prom\/alertmanager:v\d/);
    expect(grafana.image).toMatch(/^grafana\/grafana(-oss)?:\d/);
  });

  it("mounts only generated files, read-only, and keeps data in named volumes", () => {
    for (const s of [prometheus, alertmanager, grafana]) {
      const bind = [...mounts(s).values()];
      expect(bind.length).toBeGreaterThan(0);
      for (const m of bind) {
        expect(m.source.startsWith(`${GENERATED}/`), m.source).toBe(true);
        expect(m.readOnly, m.source).toBe(true);
      }
    }
    expect(mounts(prometheus).get("/etc/prometheus")?.source).toBe(`${GENERATED}/prometheus`);
    expect(mounts(alertmanager).get("/etc/alertmanager")?.source).toBe(`${GENERATED}/alertmanager`);
    expect(mounts(grafana).get("/etc/grafana/provisioning")?.source).toBe(
      `${GENERATED}/grafana/provisioning`,
    );
    expect(prometheus.volumes).toContain("prometheus-data:/prometheus");
    expect(flag(prometheus, "storage.tsdb.path")).toBe("/prometheus");
  });

  it("Prometheus loads the mounted config, scrapes exactly the API replicas and alerts the Alertmanager", () => {
    const configFile = hostFile(prometheus, flag(prometheus, "config.file") ?? "") as string;
    expect(exists(configFile), configFile).toBe(true);
    const config = parse(read(configFile)) as {
      scrape_configs: { job_name: string; metrics_path: string; static_configs: { targets: string[] }[] }[];
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
    };
    const job = config.scrape_configs.find((j) => j.job_name === "coleta-api");
    expect(job?.metrics_path).toBe("/backend/metrics");
    expect(job?.static_configs.flatMap((c) => c.targets)).toEqual(
      replicas.map(([name, s]) => `${name}:${s.environment?.PORT}`),
    );
    expect(prometheus.networks).toContain("backend");
    const [target] = config.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((c) => c.targets));
    const [host, port] = (target ?? "").split(":");
    expect(services).toHaveProperty(host as string);
    expect(services[host as string]?.networks).toContain("backend");
    expect(port).toBe("9093");
    expect(exists(hostFile(alertmanager, flag(alertmanager, "config.file") ?? "") as string)).toBe(true);
  });

  it("Grafana provisions the Prometheus data source and the dashboards from the mounted folders", () => {
    const datasources = parse(read(`${GENERATED}/grafana/provisioning/datasources/prometheus.yml`)) as {
      datasources: { url: string }[];
    };
    const url = new URL(datasources.datasources[0]?.url ?? "");
    expect(services).toHaveProperty(url.hostname);
    expect(flag(services[url.hostname] as Service, "web.listen-address")).toBe(`:${url.port}`);
    const provider = parse(read(`${GENERATED}/grafana/provisioning/dashboards/coleta.yml`)) as {
      providers: { options: { path: string } }[];
    };
    const dashboards = hostFile(grafana, provider.providers[0]?.options.path ?? "") as string;
    expect(dashboards).toBe(`${GENERATED}/grafana/dashboards`);
    const home = hostFile(grafana, grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? "");
    expect(exists(home as string), String(home)).toBe(true);
  });

  it("Grafana: admin password from the environment (no default), anonymous viewing off by default", () => {
    expect(grafana.environment?.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?/);
    expect(grafana.environment?.GF_AUTH_ANONYMOUS_ENABLED).toMatch(
      /^\$\{GRAFANA_ANONYMOUS_ENABLED:-false\}$/,
    );
    expect(grafana.environment?.GF_AUTH_ANONYMOUS_ORG_ROLE).toBe("Viewer");
    expect(grafana.environment?.GF_USERS_ALLOW_SIGN_UP).toBe("false");
  });

  it("publishes their ports on 127.0.0.1 only", () => {
    for (const s of [prometheus, alertmanager, grafana]) {
      for (const p of s.ports ?? []) expect(p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
      expect(s.ports?.length).toBe(1);
    }
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
