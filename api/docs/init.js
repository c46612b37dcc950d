// Starts Swagger UI (swagger-ui-bundle.js, loaded just before) on this server's OpenAPI document. A served file,
// not an inline script: the page's CSP allows scripts from this origin only.
/* global SwaggerUIBundle */
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  // The base layout: no top bar with a field to load another document.
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  deepLinking: true,
  displayRequestDuration: true,
  // Never send the document to the public validator (the CSP would block the request anyway).
  validatorUrl: null,
});
