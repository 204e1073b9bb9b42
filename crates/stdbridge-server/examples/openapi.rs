//! Prints the OpenAPI document of the HTTP API (the same as `GET /api/openapi.json`).

fn main() {
    let document = stdbridge_server::openapi_json();
    println!(
        "{}",
        serde_json::to_string_pretty(&document).unwrap_or_default()
    );
}
