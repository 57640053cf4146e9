export * from "./auth";
export * from "./forms";
export * from "./orgs";
export * from "./uploads";
