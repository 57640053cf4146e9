/**
 * The header through which Better-Auth learns the client address the rest of the API uses: the
 * auth gateway (handler.ts) sets it, the auth configuration (auth.ts) reads it. Its own module so
 * neither of the two imports the other.
 */
export const CLIENT_IP_HEADER = "x-coleta-client-ip";
