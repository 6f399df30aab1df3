// Starts Swagger UI (served from the fastapi-offline package) on this server's OpenAPI description.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
