import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { EnvInput } from "../config";

/**
 * Lambda has no equivalent of ECS's `secrets` (values injected as environment variables at start),
 * and secret values must never sit in the function's configuration, where anyone with
 * lambda:GetFunctionConfiguration reads them. So the function gets, in COLETA_SECRET_ENV, a map of
 * variable name → "<secret arn>" or "<secret arn>#<json field>", and reads the values from Secrets
 * Manager once per execution environment, before the configuration is parsed.
 */
export const SECRET_ENV_VARIABLE = "COLETA_SECRET_ENV";

export type SecretReader = (secretId: string) => Promise<string>;

export function secretsManagerReader(client = new SecretsManagerClient({})): SecretReader {
  return async (secretId) => {
    const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (result.SecretString === undefined) throw new Error(`Secret ${secretId} has no string value`);
    return result.SecretString;
  };
}

function parseReferences(text: string): Record<string, { secretId: string; field?: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${SECRET_ENV_VARIABLE}: expected a JSON object of VARIABLE → "arn[#field]"`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${SECRET_ENV_VARIABLE}: expected a JSON object of VARIABLE → "arn[#field]"`);
  }
  const references: Record<string, { secretId: string; field?: string }> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== "string" || value === "") {
      throw new Error(`${SECRET_ENV_VARIABLE}: ${name}: expected "arn" or "arn#field"`);
    }
    const hash = value.lastIndexOf("#");
    references[name] =
      hash > 0 ? { secretId: value.slice(0, hash), field: value.slice(hash + 1) } : { secretId: value };
  }
  return references;
}

/** The environment with every referenced secret filled in (each secret read once). */
export async function withSecrets(
  env: EnvInput,
  read: SecretReader = secretsManagerReader(),
): Promise<EnvInput> {
  const text = env[SECRET_ENV_VARIABLE];
  if (!text) return env;
  const references = parseReferences(text);
  const values = new Map<string, Promise<string>>();
  const resolved: EnvInput = { ...env };
  await Promise.all(
    Object.entries(references).map(async ([name, { secretId, field }]) => {
      if (!values.has(secretId)) values.set(secretId, read(secretId));
      const value = await (values.get(secretId) as Promise<string>);
      if (field === undefined) {
        resolved[name] = value;
        return;
      }
      const object = JSON.parse(value) as Record<string, unknown>;
      if (typeof object[field] !== "string" && typeof object[field] !== "number") {
        // The message names the variable and the field, never the value.
        throw new Error(`${SECRET_ENV_VARIABLE}: ${name}: the secret has no field "${field}"`);
      }
      resolved[name] = String(object[field]);
    }),
  );
  delete resolved[SECRET_ENV_VARIABLE];
  return resolved;
}
