export * from "./alerts";
export * from "./components";
export * from "./palette";
export * from "./runbooks";
export * from "./slo";
export * from "./teams";
export * from "./thresholds";
