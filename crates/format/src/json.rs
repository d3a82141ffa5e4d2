//! JSON text → `serde_json::Value`, refusing what serde_json alone would accept silently: a key given twice in one object (E007: the last would win) and a non-zero number too small for a double (E008: it would read as 0).
//!
//! serde_json has no option for either. Rather than a second parser, the document is read by
//! serde_json's own `Deserializer` into a `Value` through a `DeserializeSeed` that knows the
//! JSON path of every node: syntax errors, the recursion limit and number parsing stay
//! serde_json's, and a repeated key is caught where it occurs. A number's text is not visible
//! to a visitor, so underflow is found by a scan of the text for number literals first
//! (they are in document order, as the visitor meets them), and the walk makes the path of
//! those numbers alone: paths are made only where a problem is reported.

use crate::errors::{Code, InputError};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::RefCell;
use std::fmt;

/// What the walk collects besides the value.
#[derive(Default)]
struct Sink {
    errors: Vec<InputError>,
    /// Numbers met so far, in document order.
    numbers: usize,
    /// The positions (in document order) of the number literals that underflow, found by a
    /// scan of the text first, and the JSON path of each as the walk meets it.
    wanted: Vec<usize>,
    paths: Vec<String>,
}

/// A node's place in its parent.
#[derive(Clone, Copy)]
enum Seg<'p> {
    Root,
    Index(usize),
    Key(&'p str),
}

/// One node of the document. Its JSON path is made only when a problem needs it (a
/// national plan has tens of millions of nodes).
struct Node<'s, 'p> {
    parent: Option<&'p Node<'s, 'p>>,
    seg: Seg<'p>,
    sink: &'s RefCell<Sink>,
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'s, 'p> Node<'s, 'p> {
    fn number(&self, n: Number) -> Value {
        let mut sink = self.sink.borrow_mut();
        let k = sink.numbers;
        sink.numbers += 1;
        if sink.wanted.binary_search(&k).is_ok() {
            let path = self.path();
            sink.paths.push(path);
        }
        Value::Number(n)
    }
    fn child<'c>(&'c self, seg: Seg<'c>) -> Node<'s, 'c> {
        Node {
            parent: Some(self),
            seg,
            sink: self.sink,
        }
    }
    /// The JSON path, from the root down.
    fn path(&self) -> String {
        let mut segs = Vec::new();
        let mut at = Some(self);
        while let Some(n) = at {
            segs.push(n.seg);
            at = n.parent;
        }
        let mut path = String::new();
        for seg in segs.into_iter().rev() {
            match seg {
                Seg::Root => path.push('$'),
                Seg::Index(i) => path.push_str(&format!("[{i}]")),
                Seg::Key(k) => {
                    path.push('.');
                    path.push_str(k);
                }
            }
        }
        path
    }
}

impl<'de> Visitor<'de> for Node<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(self.number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(self.number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // serde_json never hands over NaN or an infinity (it reports them out of range).
        Ok(Number::from_f64(v).map_or(Value::Null, |n| self.number(n)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(self.child(Seg::Index(items.len())))? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut obj = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let v = map.next_value_seed(self.child(Seg::Key(&key)))?;
            if obj.contains_key(&key) {
                let path = self.child(Seg::Key(&key)).path();
                self.sink.borrow_mut().errors.push(InputError::new(
                    Code::E007,
                    path,
                    format!("key `{key}` appears more than once in this object"),
                ));
            } else {
                obj.insert(key, v);
            }
        }
        Ok(Value::Object(obj))
    }
}

/// Reads a JSON document. A syntax error is E001 at its line and column; every repeated key
/// (E007) and every number that would read as 0 though it is not 0 (E008) is reported at
/// its JSON path.
pub fn document(text: &str) -> Result<Value, Vec<InputError>> {
    let under: Vec<(usize, &str)> = number_literals(text)
        .enumerate()
        .filter(|(_, l)| underflows(l))
        .collect();
    let sink = RefCell::new(Sink {
        wanted: under.iter().map(|&(k, _)| k).collect(),
        ..Sink::default()
    });
    let mut de = serde_json::Deserializer::from_str(text);
    let root = Node {
        parent: None,
        seg: Seg::Root,
        sink: &sink,
    };
    let value = root
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|_| v))
        .map_err(|e| vec![syntax(&e)])?;
    let Sink {
        mut errors, paths, ..
    } = sink.into_inner();
    for (j, (_, literal)) in under.into_iter().enumerate() {
        let path = paths.get(j).cloned().unwrap_or_else(|| "$".into());
        errors.push(InputError::new(
            Code::E008,
            path,
            format!("{literal} is too small to be told from 0 (below about 1e-308)"),
        ));
    }
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(errors)
    }
}

/// E001 with serde_json's reason, line and column.
pub fn syntax(e: &serde_json::Error) -> InputError {
    // serde_json appends " at line L column C" itself; keep only the reason.
    let s = e.to_string();
    let reason = s.find(" at line ").map_or(s.as_str(), |i| &s[..i]);
    InputError::new(
        Code::E001,
        "$",
        format!("{reason} at line {} column {}", e.line(), e.column()),
    )
}

/// The number literals of a valid JSON text, in order (strings skipped).
fn number_literals(text: &str) -> impl Iterator<Item = &str> {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            match b[i] {
                b'"' => {
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b'-' | b'0'..=b'9' => {
                    let start = i;
                    while i < b.len()
                        && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                    {
                        i += 1;
                    }
                    return Some(&text[start..i]);
                }
                _ => i += 1,
            }
        }
        None
    })
}

/// A literal with a non-zero digit before its exponent that a double reads as 0.
fn underflows(literal: &str) -> bool {
    let mantissa = literal.split(['e', 'E']).next().unwrap_or("");
    mantissa.bytes().any(|c| matches!(c, b'1'..=b'9')) && literal.parse::<f64>() == Ok(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(Code, String)> {
        document(text)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.code, e.path))
            .collect()
    }

    #[test]
    fn a_repeated_key_is_reported_where_it_repeats() {
        let text = r#"{"groups": [1], "a": {"x": 1, "x": 2}, "groups": []}"#;
        assert_eq!(
            codes(text),
            vec![
                (Code::E007, "$.a.x".into()),
                (Code::E007, "$.groups".into())
            ]
        );
    }

    #[test]
    fn a_number_that_underflows_is_reported_at_its_path() {
        let text = r#"{"s": "1e-400 -5", "w": [0.0, -0, 0e7, 1e-300, 1e-400], "z": -2.5E-999}"#;
        assert_eq!(
            codes(text),
            vec![(Code::E008, "$.w[4]".into()), (Code::E008, "$.z".into())]
        );
    }

    #[test]
    fn valid_documents_read_as_serde_json_reads_them() {
        let text =
            r#"{"a": [1, -2, 3.5, "x\"y", null, true, {"b": {}}], "c": 18446744073709551615}"#;
        let want: Value = serde_json::from_str(text).unwrap();
        assert_eq!(document(text).unwrap(), want);
        assert_eq!(codes("[1, 2")[0].0, Code::E001);
        assert_eq!(codes("{} x")[0].0, Code::E001);
        assert_eq!(codes(&"[".repeat(10_000))[0].0, Code::E001);
    }
}
