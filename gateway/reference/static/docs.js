// Swagger UI on this gateway's own /openapi.json (a path relative to the page, so it also works
// behind a path prefix). Read-only: no "Try it out", no validator badge (it would call another
// origin), no topbar to load some other URL into the page.
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    deepLinking: true,
    displayOperationId: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    supportedSubmitMethods: [],
    validatorUrl: null,
    queryConfigEnabled: false,
  });
});
