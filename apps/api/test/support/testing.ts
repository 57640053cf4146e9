// What other workspaces' tests may use of the API (package export "@coleta/api/testing"): the real
// API started in-process, a fresh PostgreSQL database per suite, and the fault-injection helpers of
// the status tests. The web's browser journeys import these instead of reaching into apps/api.
export { startColeta } from "../../src/start";
export {
  type PrivateRedis,
  redisServerAvailable,
  startPrivateRedis,
} from "../../src/status/testing/redis-server";
export { TcpProxy } from "../../src/status/testing/tcp-proxy";
export { createDatabase } from "./postgres";
export { scaleDefinition, seedSubmissions } from "./scale";
