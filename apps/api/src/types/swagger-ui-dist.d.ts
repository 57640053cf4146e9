declare module "swagger-ui-dist/absolute-path.js" {
  /** Folder holding the Swagger UI static assets. */
  export default function getAbsoluteFSPath(): string;
}
