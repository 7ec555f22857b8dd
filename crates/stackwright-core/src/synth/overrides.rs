//! Raw overrides by dotted path on a rendered resource: the last-resort escape hatch.

use crate::emit::Node;

/// Sets (or, with `None`, removes) the value at `path` (`Properties.Tags.0.Value`) in a
/// rendered resource. Objects missing on the way are created; numeric components index
/// existing lists.
pub(crate) fn apply_override(
    tree: &mut Node,
    path: &str,
    value: Option<Node>,
) -> Result<(), String> {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!("override path `{path}` has an empty component"));
    }
    let (last, walk) = match parts.split_last() {
        Some(x) => x,
        None => return Err("override path is empty".into()),
    };
    let mut at = tree;
    for (depth, part) in walk.iter().enumerate() {
        at = match at {
            Node::Map(entries) => {
                let pos = match entries.iter().position(|(k, _)| k == part) {
                    Some(p) => p,
                    None if value.is_some() => {
                        entries.push(((*part).to_owned(), Node::Map(Vec::new())));
                        entries.len() - 1
                    }
                    None => return Ok(()),
                };
                &mut entries[pos].1
            }
            Node::List(items) => {
                let len = items.len();
                match part.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(item) => item,
                    None => {
                        return Err(format!(
                            "override path `{path}`: `{part}` is not an index of the {len}-item list at `{}`",
                            parts[..depth].join(".")
                        ));
                    }
                }
            }
            _ => {
                return Err(format!(
                    "override path `{path}`: `{}` is not an object or a list",
                    parts[..depth].join(".")
                ));
            }
        };
    }
    match (at, value) {
        (Node::Map(entries), Some(v)) => match entries.iter_mut().find(|(k, _)| k == last) {
            Some(slot) => slot.1 = v,
            None => entries.push(((*last).to_owned(), v)),
        },
        (Node::Map(entries), None) => entries.retain(|(k, _)| k != last),
        (Node::List(items), v) => {
            let len = items.len();
            let Some(i) = last.parse::<usize>().ok().filter(|&i| i < len) else {
                return Err(format!(
                    "override path `{path}`: `{last}` is not an index of the {len}-item list"
                ));
            };
            match v {
                Some(v) => items[i] = v,
                None => {
                    items.remove(i);
                }
            }
        }
        _ => {
            return Err(format!("override path `{path}`: its parent is not an object or a list"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Node {
        Node::Str(x.into())
    }

    #[test]
    fn sets_creates_and_deletes() {
        let mut t = Node::Map(vec![("Type".into(), s("AWS::SQS::Queue"))]);
        apply_override(&mut t, "Properties.VisibilityTimeout", Some(Node::Int(60)))
            .unwrap_or_default();
        apply_override(&mut t, "Properties.Tags", Some(Node::List(vec![s("a"), s("b")])))
            .unwrap_or_default();
        apply_override(&mut t, "Properties.Tags.1", Some(s("c"))).unwrap_or_default();
        apply_override(&mut t, "Type", None).unwrap_or_default();
        assert_eq!(
            t,
            Node::Map(vec![(
                "Properties".into(),
                Node::Map(vec![
                    ("VisibilityTimeout".into(), Node::Int(60)),
                    ("Tags".into(), Node::List(vec![s("a"), s("c")])),
                ])
            )])
        );
    }

    #[test]
    fn bad_paths_are_explained() {
        let mut t = Node::Map(vec![(
            "Properties".into(),
            Node::Map(vec![("L".into(), Node::List(vec![]))]),
        )]);
        assert_eq!(
            apply_override(&mut t, "Properties.L.3.X", Some(Node::Null)),
            Err("override path `Properties.L.3.X`: `3` is not an index of the 0-item list at `Properties.L`".into())
        );
        assert_eq!(
            apply_override(&mut t, "Properties..X", Some(Node::Null)),
            Err("override path `Properties..X` has an empty component".into())
        );
    }
}
