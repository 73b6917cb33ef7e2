//! The API reference: `openapi.yaml` (OpenAPI 3.1, written by hand beside the code) served
//! as YAML at `/openapi.yaml`, as JSON at `/openapi.json`, and as an interactive Swagger UI
//! at `/docs` whose assets are compiled into the binary (self-hosted networks often have no
//! CDN). A test checks that the document and the router list the same operations.

use std::sync::LazyLock;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use utoipa_swagger_ui::SwaggerUi;

use crate::AppState;

/// The document's text, as shipped.
pub const YAML: &str = include_str!("../openapi.yaml");

/// The same document as JSON; the YAML is parsed once (a test checks that it parses).
static JSON: LazyLock<serde_json::Value> = LazyLock::new(|| {
    serde_norway::from_str(YAML).unwrap_or_else(|_| serde_json::json!({"openapi": "3.1.0"}))
});

pub fn routes() -> Router<AppState> {
    let docs: Router<AppState> = SwaggerUi::new("/docs")
        .external_url_unchecked("/openapi.json", JSON.clone())
        .into();
    docs.route(
        "/openapi.yaml",
        get(|| async { ([(header::CONTENT_TYPE, "application/yaml")], YAML).into_response() }),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn the_document_parses_as_openapi_3_1() {
        let document: serde_json::Value = serde_norway::from_str(YAML).unwrap();
        assert_eq!(document["openapi"], "3.1.0");
        assert!(document["paths"].is_object());
    }

    /// Every route the server answers is documented, and nothing documented is missing.
    #[test]
    fn the_document_lists_exactly_the_routes_the_server_answers() {
        let document: serde_json::Value = serde_norway::from_str(YAML).unwrap();
        let documented: BTreeSet<(String, String)> = document["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .unwrap()
                    .keys()
                    .filter(|key| ["get", "post", "put", "patch", "delete"].contains(&key.as_str()))
                    .map(move |verb| (verb.clone(), path.clone()))
            })
            .collect();
        let config = crate::Config::new("unused", "unused");
        let (_, face) = crate::cladfy::routes(&config);
        let mut served: BTreeSet<(String, String)> = face
            .into_iter()
            .map(|(verb, path)| (verb.to_owned(), path.to_owned()))
            .collect();
        for (verb, path) in [
            ("get", "/metrics"),
            ("get", "/openapi.json"),
            ("get", "/openapi.yaml"),
            ("get", "/docs"),
        ] {
            served.insert((verb.to_owned(), path.to_owned()));
        }
        assert_eq!(documented, served);
    }
}
