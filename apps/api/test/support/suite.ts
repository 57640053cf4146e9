import type { FormDefinition } from "@coleta/forms";
import { afterAll, beforeAll } from "vitest";
import type { EnvInput } from "../../src/config";
import { TestClient } from "./client";
import { firstOrgId, publishedForm, surveyDefinition } from "./fixtures";
import { startApi, type TestDatabase, type TestStack, testDatabase } from "./stack";

// What most API test files set up first, in one call: a private database, the real API on it and,
// when asked, the first account (owner of the first organization) with a published form. Start it
// in beforeAll and stop it in afterAll (which also runs when the rest of beforeAll fails):
//
//   let suite: OwnerSuite, owner: TestClient, orgId: string;
//   beforeAll(async () => {
//     suite = await startOwnerSuite();
//     ({ owner, orgId } = suite);
//   });
//   afterAll(() => suite?.stop());
//
// Or, where the tests can name what they use through the suite, with the hooks in one call:
//
//   const api = useSuite(() => startSuite({ BODY_LIMIT_BYTES: "2048" }));
//   it("…", () => fetch(api.stack.url));

export interface ApiSuite {
  database: TestDatabase;
  stack: TestStack;
  /** A statement on the suite's database (seeding, checking stored rows). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** A new client of the API, with a cookie jar of its own. */
  client(): TestClient;
  /** Stops the API, then drops its database. */
  stop(): Promise<void>;
}

export interface OwnerSuite extends ApiSuite {
  owner: TestClient;
  ownerId: string;
  ownerEmail: string;
  orgId: string;
}

export interface FormSuite extends OwnerSuite {
  formId: string;
  slug: string;
}

export interface OwnerOptions {
  env?: EnvInput;
  email?: string;
  name?: string;
}

/** A private database and the API on it, configured by `env` over the test defaults. */
export async function startSuite(env: EnvInput = {}): Promise<ApiSuite> {
  const database = await testDatabase();
  let stack: TestStack;
  try {
    stack = await startApi(database, env);
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    database,
    stack,
    query: (text, params) => stack.services.database.query(text, params),
    client: () => new TestClient(stack.url),
    stop: async () => {
      await stack.stop();
      await database.drop();
    },
  };
}

/** Runs `then` on a started suite; a failure stops the suite before it is thrown. */
async function extend<S extends ApiSuite, T>(suite: S, then: (suite: S) => Promise<T>): Promise<S & T> {
  try {
    return { ...suite, ...(await then(suite)) };
  } catch (error) {
    await suite.stop();
    throw error;
  }
}

/** startSuite, and the first account signed up: it owns the install's first organization. */
export async function startOwnerSuite({ env, email, name }: OwnerOptions = {}): Promise<OwnerSuite> {
  return extend(await startSuite(env), async (suite) => {
    const owner = suite.client();
    const account = await owner.signUp(email, name);
    return { owner, ownerId: account.userId, ownerEmail: account.email, orgId: await firstOrgId(owner) };
  });
}

/** startOwnerSuite, and `definition` created and published in the owner's organization. */
export async function startFormSuite(
  definition: FormDefinition = surveyDefinition,
  options: OwnerOptions = {},
): Promise<FormSuite> {
  return extend(await startOwnerSuite(options), (suite) =>
    publishedForm(suite.owner, suite.orgId, definition),
  );
}

/**
 * Starts a suite before the tests of the enclosing describe (or file) and stops it after them. The
 * object returned is filled in when the tests run, not when this is called.
 */
export function useSuite<S extends ApiSuite>(start: () => Promise<S>): S {
  const suite = {} as S;
  beforeAll(async () => {
    Object.assign(suite, await start());
  });
  afterAll(async () => {
    await suite.stop?.();
  });
  return suite;
}

export interface ReplicaSuite {
  database: TestDatabase;
  a: TestStack;
  b: TestStack;
  /** Stops both APIs, then drops the database. */
  stop(): Promise<void>;
}

/** Two API processes on one private database, as behind a load balancer: `b` leaves migrating to `a`. */
export async function startReplicas(env: EnvInput): Promise<ReplicaSuite> {
  const suite = await startSuite(env);
  return extend(suite, async () => {
    const b = await startApi(suite.database, { ...env, MIGRATE_ON_START: "false" });
    return {
      a: suite.stack,
      b,
      stop: async () => {
        await b.stop();
        await suite.stop();
      },
    };
  });
}
