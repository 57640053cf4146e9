/**
 * CloudFront Functions (cloudfront-js-2.0), kept as plain source so tests can execute them.
 */

/**
 * Viewer-request on /frontend/*: SPA routing. A path without a file extension is an app route:
 * /frontend/f/<slug>... -> /frontend/fill.html (respondent page), /frontend/status -> /frontend/status.html
 * (status board), anything else -> /frontend/index.html.
 * Requests for real files (with an extension) pass through unchanged.
 */
export const SPA_ROUTING_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var lastSegment = uri.substring(uri.lastIndexOf("/") + 1);
  if (uri === "/frontend/status" || uri === "/frontend/status/") {
    request.uri = "/frontend/status.html";
  } else if (lastSegment.indexOf(".") === -1) {
    request.uri = uri.indexOf("/frontend/f/") === 0 ? "/frontend/fill.html" : "/frontend/index.html";
  }
  return request;
}
`;

/**
 * Viewer-request on the default behaviour (everything that is neither /frontend/* nor /backend/*):
 * "/" (and any other stray path) redirects to the workspace app at /frontend/.
 */
export const ROOT_REDIRECT_FUNCTION_CODE = `function handler(event) {
  return {
    statusCode: 302,
    statusDescription: "Found",
    headers: {
      location: { value: "/frontend/" },
      "cache-control": { value: "no-store" }
    }
  };
}
`;
