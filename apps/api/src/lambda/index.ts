import { createLambdaHandler } from "./handler";

/** The Lambda entry (dist-lambda/handler.mjs, handler "handler.handler"). */
export const handler = createLambdaHandler(process.env);
