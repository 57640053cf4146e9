/** Where the API answers, whatever runs it (ECS, EKS, Lambda): CloudFront sends it /backend. */
export const API_BASE_PATH = "/backend";
/**
 * Liveness: 200 while the process serves HTTP, whatever the database does. The ALB target group and
 * the container health check use it, so a database failover (or a cache blip) does not make every
 * task "unhealthy" at once and have ECS replace them all (a replacement storm that cannot help).
 */
export const HEALTH_CHECK_PATH = "/backend/health/live";
/** Readiness: 200 when the database (and the cache) answer. For the status board and the deploy gate. */
export const READINESS_PATH = "/backend/health/ready";
