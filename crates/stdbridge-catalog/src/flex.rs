//! Lenient serde building blocks for bibliographic data that says the same thing in
//! several shapes: a list or a single element, a string or an object holding the string
//! under `content`, `value`, `id`… They deserialize without building a JSON tree, and
//! skip the fields the catalogue does not read.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A value that may be given as plain text instead of an object.
pub trait FromText: Sized {
    /// The value that plain text stands for.
    fn from_text(text: String) -> Self;
}

/// Zero, one or many `T`: a list, a single element, or nothing (`null`, absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Many<T>(pub Vec<T>);

impl<T> Default for Many<T> {
    fn default() -> Self {
        Many(Vec::new())
    }
}

impl<T> Many<T> {
    /// The elements.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// The first element.
    pub fn first(&self) -> Option<&T> {
        self.0.first()
    }
}

impl<'de, T: Deserialize<'de> + FromText> Deserialize<'de> for Many<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ManyVisitor(PhantomData))
    }
}

struct ManyVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de> + FromText> Visitor<'de> for ManyVisitor<T> {
    type Value = Many<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, an object or a text")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(2));
        while let Some(Flex(item)) = seq.next_element::<Flex<T>>()? {
            items.extend(item);
        }
        Ok(Many(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(Many(vec![T::deserialize(MapAccessDeserializer::new(map))?]))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Many(vec![T::from_text(text.to_owned())]))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
        Ok(Many(vec![T::from_text(text)]))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Many(vec![T::from_text(value.to_string())]))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Many(vec![T::from_text(value.to_string())]))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(Many(vec![T::from_text(value.to_string())]))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Many::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Many::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Many::default())
    }
}

/// One element that may be an object or plain text (`None` for `null` or absent).
#[derive(Debug)]
pub struct Flex<T>(pub Option<T>);

impl<T> Default for Flex<T> {
    fn default() -> Self {
        Flex(None)
    }
}

impl<'de, T: Deserialize<'de> + FromText> Deserialize<'de> for Flex<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Many(mut items) = deserializer.deserialize_any(ManyVisitor::<T>(PhantomData))?;
        Ok(Flex(items.pop()))
    }
}

/// Text given as a string, a number, or an object holding it under `content`, `value`,
/// `id`, `at`, `from` or `type` (in that order of preference); a list gives its first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl FromText for Text {
    fn from_text(text: String) -> Self {
        Text(text)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

const TEXT_FIELDS: [&str; 6] = ["content", "value", "id", "at", "from", "type"];

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a text, or an object with content/value/id")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Text, E> {
        Ok(Text(text.trim().to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Text, E> {
        Ok(Text(text.trim().to_owned()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Text, E> {
        Ok(Text(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Text, E> {
        Ok(Text(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Text, E> {
        Ok(Text(value.to_string()))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Text, E> {
        Ok(Text(value.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Text, A::Error> {
        let Many(items) = Many::<Text>::deserialize(SeqAccessDeserializer::new(seq))?;
        Ok(items
            .into_iter()
            .find(|t| !t.0.is_empty())
            .unwrap_or_default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let mut found: [Option<Text>; 6] = Default::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match TEXT_FIELDS.iter().position(|field| *field == key) {
                Some(index) => found[index] = Some(map.next_value::<Text>()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found
            .into_iter()
            .flatten()
            .find(|t| !t.0.is_empty())
            .unwrap_or_default())
    }
}

impl Text {
    /// The text, or `None` when empty.
    pub fn get(&self) -> Option<&str> {
        (!self.0.is_empty()).then_some(self.0.as_str())
    }
}

/// An optional text field: absent, `null` and empty all read as `None`.
pub fn text(field: &Option<Text>) -> Option<String> {
    field.as_ref().and_then(Text::get).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Sample {
        #[serde(default)]
        names: Many<Text>,
        #[serde(default)]
        stage: Option<Text>,
    }

    #[test]
    fn one_or_many_and_text_or_object_read_alike() {
        let shapes = [
            r#"{"names": ["a", "b"], "stage": {"value": "60"}}"#,
            r#"{"names": [{"content": "a"}, {"content": "b"}], "stage": "60"}"#,
        ];
        for shape in shapes {
            let Ok(sample) = serde_json::from_str::<Sample>(shape) else {
                panic!("{shape}")
            };
            assert_eq!(
                sample.names.0,
                vec![Text("a".to_owned()), Text("b".to_owned())]
            );
            assert_eq!(text(&sample.stage).as_deref(), Some("60"));
        }
        let Ok(single) = serde_json::from_str::<Sample>(r#"{"names": "a", "stage": null}"#) else {
            panic!()
        };
        assert_eq!(single.names.0.len(), 1);
        assert_eq!(text(&single.stage), None);
    }
}
