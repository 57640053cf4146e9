// Writes the security headers of @coleta/http-policy into nginx.conf, so the compose stack's
// /frontend sends what CloudFront sends in AWS and the API sends locally. nginx drops a server's
// add_header lines in any location that has its own (Cache-Control here), so each /frontend
// location carries the full set between two marker comments:
//
//   # BEGIN security headers (self|anyone) — generated: npm run compose:headers
//   # END security headers
//
// `self` for pages only the app may frame, `anyone` for the embeddable respondent page.
// Run: npm run compose:headers. deploy/test/compose-headers.test.ts fails when the file is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Framing, securityHeaders } from "@coleta/http-policy";

export const NGINX_CONF = fileURLToPath(new URL("./nginx.conf", import.meta.url));

const BEGIN = /^(\s*)# BEGIN security headers \((self|anyone)\)/;
const END = /^\s*# END security headers/;

function headerLines(indent: string, framing: Framing): string[] {
  return Object.entries(securityHeaders(framing)).map(([name, value]) => {
    if (value.includes('"'))
      throw new Error(`${name} contains a double quote, which nginx.conf cannot hold here`);
    return `${indent}add_header ${name} "${value}" always;`;
  });
}

/** nginx.conf with every marked block rewritten from the policy; everything else unchanged. */
export function renderNginxConf(conf: string): string {
  const out: string[] = [];
  const lines = conf.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const begin = BEGIN.exec(line);
    if (!begin) {
      out.push(line);
      continue;
    }
    const [, indent = "", framing] = begin;
    out.push(`${indent}# BEGIN security headers (${framing}) — generated: npm run compose:headers`);
    out.push(...headerLines(indent, framing as Framing));
    let end = i + 1;
    while (end < lines.length && !END.test(lines[end] as string)) end++;
    if (end === lines.length) throw new Error(`line ${i + 1}: "# BEGIN security headers" without "# END"`);
    out.push(`${indent}# END security headers`);
    i = end;
  }
  return out.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const current = readFileSync(NGINX_CONF, "utf8");
  const rendered = renderNginxConf(current);
  if (rendered !== current) writeFileSync(NGINX_CONF, rendered);
  console.log(rendered === current ? "nginx.conf is current." : "nginx.conf updated.");
}
