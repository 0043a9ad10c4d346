//! Static files, embedded in the binary: nothing is loaded from another host.

use crate::auth::Public;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset { name: "app.css", content_type: "text/css; charset=utf-8", body: include_bytes!("../assets/app.css") },
    Asset { name: "app.js", content_type: "text/javascript; charset=utf-8", body: include_bytes!("../assets/app.js") },
    Asset {
        name: "htmx.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/htmx.min.js"),
    },
    Asset {
        name: "fonts/NotoSansKhmer-Variable.ttf",
        content_type: "font/ttf",
        body: include_bytes!("../assets/fonts/NotoSansKhmer-Variable.ttf"),
    },
];

pub async fn asset(_: Public, Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => ([(header::CONTENT_TYPE, a.content_type), (header::CACHE_CONTROL, "public, max-age=86400")], a.body)
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
