//! YAML documents as JSON values, every scalar kept as the text it was written as (so
//! that ICS `13.020` and edition `5` stay strings, as Relaton means them).

use serde_json::{Map, Value};
use yaml_rust2::Yaml;

/// Converts a YAML document to JSON, scalars as written.
pub fn to_json(yaml: &Yaml) -> Value {
    match yaml {
        Yaml::Real(text) | Yaml::String(text) => Value::String(text.clone()),
        Yaml::Integer(number) => Value::String(number.to_string()),
        Yaml::Boolean(flag) => Value::Bool(*flag),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(map) => {
            let mut object = Map::with_capacity(map.len());
            for (key, value) in map {
                let key = match key {
                    Yaml::String(text) | Yaml::Real(text) => text.clone(),
                    Yaml::Integer(number) => number.to_string(),
                    Yaml::Boolean(flag) => flag.to_string(),
                    _ => continue,
                };
                object.insert(key, to_json(value));
            }
            Value::Object(object)
        }
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_that_are_codes_stay_text() {
        let Ok(docs) = yaml_rust2::YamlLoader::load_from_str("ics:\n  code: 13.020\nedition: 5\n")
        else {
            panic!("valid YAML")
        };
        let json = to_json(&docs[0]);
        assert_eq!(json["ics"]["code"], "13.020");
        assert_eq!(json["edition"], "5");
    }
}
