// Starts Swagger UI for /api/docs from a file (the CSP forbids inline scripts).
window.addEventListener("load", function () {
  "use strict";
  window.SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
