// The database by its own name, and which names resolve where. From the synthesized templates:
// the hosted zones, every Route 53 record and the zone it lands in, the VPC's DNS settings, and
// what the API and the migration task are told (DATABASE_HOST, DATABASE_SSL_*). What a resolver
// inside the VPC answers is derived from Route 53's documented rule: a VPC that is associated with
// a private zone asks that zone (and only that zone) for its name and every name below it; every
// other name is answered from public DNS. The TLS side (verify-full on our name, identity checked
// against the RDS endpoint's certificate) is proved against a real server in
// apps/api/src/db/postgres.server.test.ts.
import { describe, expect, it } from "vitest";
import { configs, type EnvName } from "../config/index.js";
import { RDS_CA_FILE } from "../lib/constructs/api.js";
import { resourcesOf, type Synthesized, synthesizeBeforeAll } from "./helpers.js";

type Json = Record<string, unknown>;
interface Zone {
  id: string;
  name: string;
  private: boolean;
}
interface RecordRow {
  name: string;
  type: string;
  zone: string;
  target: string;
}

const envs: EnvName[] = ["dev", "prod"];
const get = synthesizeBeforeAll(envs);

function zonesOf(s: Synthesized): Zone[] {
  return resourcesOf(s, "AWS::Route53::HostedZone").map(({ id, props }) => ({
    id,
    name: String(props.Name),
    private: Array.isArray(props.VPCs) && props.VPCs.length > 0,
  }));
}

/** Each record with the name of the zone it is created in (zones are referenced by logical id). */
function recordsOf(s: Synthesized): RecordRow[] {
  const zones = zonesOf(s);
  return resourcesOf(s, "AWS::Route53::RecordSet").map(({ props }) => {
    const ref = JSON.stringify(props.HostedZoneId);
    const zone = zones.filter((z) => ref.includes(z.id));
    expect(zone, `zone of ${String(props.Name)}`).toHaveLength(1);
    const alias = props.AliasTarget as Json | undefined;
    return {
      name: String(props.Name),
      type: String(props.Type),
      zone: zone[0]?.name ?? "?",
      target: JSON.stringify(alias?.DNSName ?? props.ResourceRecords),
    };
  });
}

const within = (name: string, zone: string) => name === zone || name.endsWith(`.${zone}`);

/**
 * Which zone answers `name` for a resolver inside the VPC (private: the most specific associated
 * private zone that contains it) or on the internet (public zones only), and with which records.
 */
function resolve(s: Synthesized, name: string, where: "vpc" | "internet") {
  const zones = zonesOf(s).filter((z) => (where === "vpc" ? true : !z.private));
  const privateMatch = zones
    .filter((z) => z.private && within(name, z.name))
    .sort((a, b) => b.name.length - a.name.length)[0];
  const zone =
    privateMatch ??
    zones.filter((z) => !z.private && within(name, z.name)).sort((a, b) => b.name.length - a.name.length)[0];
  const records = recordsOf(s).filter((r) => zone && r.zone === zone.name && r.name === name);
  return { zone: zone ? `${zone.private ? "private" : "public"} ${zone.name}` : "none", records };
}

describe.each(envs)("%s: names and zones", (env) => {
  const domain = `${configs[env].domainName}.`;
  const s = () => get(env);

  it("has exactly two zones: the public <domain> and the private internal.<domain> on the VPC", () => {
    expect(zonesOf(s()).map(({ name, private: p }) => ({ name, private: p }))).toEqual([
      { name: domain, private: false },
      { name: `internal.${domain}`, private: true },
    ]);
    const [internal] = resourcesOf(s(), "AWS::Route53::HostedZone").filter((z) => z.props.VPCs);
    const vpcs = internal?.props.VPCs as Json[];
    expect(vpcs).toHaveLength(1);
    const [vpcId] = resourcesOf(s(), "AWS::EC2::VPC").map((v) => v.id);
    expect(vpcs[0]).toEqual({ VPCId: { Ref: vpcId }, VPCRegion: "us-east-1" });
    // Private zones answer only VPCs with Amazon DNS on.
    const [vpc] = resourcesOf(s(), "AWS::EC2::VPC");
    expect(vpc?.props).toMatchObject({ EnableDnsSupport: true, EnableDnsHostnames: true });
  });

  it("puts the app's names in the public zone and db/cache only in the private one", () => {
    const rows = recordsOf(s()).map(({ name, type, zone }) => `${zone} ${type} ${name}`);
    expect(rows.sort()).toEqual(
      [
        `${domain} A ${domain}`,
        `${domain} AAAA ${domain}`,
        `${domain} A origin.${domain}`,
        `internal.${domain} CNAME db.internal.${domain}`,
        `internal.${domain} CNAME cache.internal.${domain}`,
      ].sort(),
    );
    for (const r of recordsOf(s())) expect(within(r.name, r.zone), `${r.name} in ${r.zone}`).toBe(true);
  });

  it("resolves the public names the same inside the VPC as on the internet (no split horizon)", () => {
    for (const name of [domain, `origin.${domain}`]) {
      const inside = resolve(s(), name, "vpc");
      expect(inside.zone, name).toBe(`public ${domain}`);
      expect(inside).toEqual(resolve(s(), name, "internet"));
      expect(inside.records.length, name).toBeGreaterThan(0);
    }
    expect(JSON.stringify(resolve(s(), domain, "vpc").records)).toMatch(/EdgeDistribution/);
    expect(JSON.stringify(resolve(s(), `origin.${domain}`, "vpc").records)).toMatch(/ApiAlb/);
  });

  it("resolves db.internal.<domain> to the RDS endpoint only inside the VPC", () => {
    const inside = resolve(s(), `db.internal.${domain}`, "vpc");
    expect(inside.zone).toBe(`private internal.${domain}`);
    expect(inside.records).toEqual([
      expect.objectContaining({
        type: "CNAME",
        target: expect.stringMatching(/"DatabaseInstance[0-9A-F]+","Endpoint\.Address"/),
      }),
    ]);
    expect(resolve(s(), `cache.internal.${domain}`, "vpc").records[0]?.target).toMatch(
      /CacheReplicationGroup.*PrimaryEndPoint\.Address/,
    );
    // From the internet: the public zone has no such record and does not delegate internal.<domain>.
    for (const name of [`db.internal.${domain}`, `internal.${domain}`, `db.${domain}`]) {
      expect(resolve(s(), name, "internet").records, name).toEqual([]);
    }
    expect(resourcesOf(s(), "AWS::Route53::RecordSet").some((r) => r.props.Type === "NS")).toBe(false);
  });

  it("has the API and the migration task dial db.internal.<domain> and check the RDS endpoint's certificate", () => {
    const params = Object.fromEntries(
      resourcesOf(s(), "AWS::SSM::Parameter").map(({ props }) => [String(props.Name), props.Value]),
    );
    const p = (name: string) => params[`/coleta/${env}/api/${name}`];
    expect(p("DATABASE_HOST")).toBe(`db.internal.${configs[env].domainName}`);
    expect(p("DATABASE_SSL_MODE")).toBe("verify-full");
    expect(p("DATABASE_SSL_CA_FILE")).toBe(RDS_CA_FILE);
    // The certificate name: the RDS endpoint address, the same attribute the CNAME points at.
    expect(p("DATABASE_SSL_SERVERNAME")).toEqual({
      "Fn::GetStackOutput": expect.objectContaining({
        StackName: `Coleta-${env}-Data`,
        OutputName: expect.stringMatching(/^PublishOutputFnGetAttDatabaseInstance[0-9A-F]+EndpointAddress/),
      }),
    });
    const taskDefinitions = resourcesOf(s(), "AWS::ECS::TaskDefinition");
    // The API service, the migration task and the scheduled lake export all dial the database.
    expect(taskDefinitions).toHaveLength(3);
    for (const { props } of taskDefinitions) {
      const [container] = props.ContainerDefinitions as Json[];
      const secrets = Object.fromEntries(
        ((container?.Secrets ?? []) as Json[]).map((x) => [x.Name, JSON.stringify(x.ValueFrom)]),
      );
      for (const name of [
        "DATABASE_HOST",
        "DATABASE_SSL_MODE",
        "DATABASE_SSL_CA_FILE",
        "DATABASE_SSL_SERVERNAME",
      ]) {
        expect(secrets[name], `${String(props.Family)} ${name}`).toMatch(
          new RegExp(`ApiSettings${name.replaceAll("_", "")}`),
        );
      }
    }
  });
});
