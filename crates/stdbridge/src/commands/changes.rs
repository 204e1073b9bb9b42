//! `stdbridge changes`.

use std::process::ExitCode;

use stdbridge_storage::Store;

pub async fn run(store: &Store, since: i64, limit: i64, json: bool) -> anyhow::Result<ExitCode> {
    for change in store.changes_since(since, limit).await? {
        if json {
            println!("{}", serde_json::to_string(&change)?);
        } else {
            println!("#{}  {:6}  {}", change.seq, change.op, change.key);
        }
    }
    Ok(ExitCode::SUCCESS)
}
