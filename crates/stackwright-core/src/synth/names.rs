//! Logical IDs for every resource of every stack, checked for validity and uniqueness.

use std::collections::HashMap;

use crate::app::App;
use crate::error::SynthError;
use crate::path::{check_construct_id, check_logical_id};

/// The logical ID of each resource, indexed like the stacks and their arenas.
pub(crate) struct Names {
    pub(crate) resources: Vec<Vec<String>>,
    /// Per stack: logical ID of a resource -> its index, for checking names written by hand.
    pub(crate) by_id: Vec<HashMap<String, u32>>,
}

impl Names {
    pub(crate) fn compute(app: &App, errors: &mut Vec<SynthError>) -> Names {
        let mut resources = Vec::with_capacity(app.stacks().len());
        let mut by_id = Vec::with_capacity(app.stacks().len());
        for stack in app.stacks() {
            let mut ids = Vec::with_capacity(stack.resources.len());
            let mut seen: HashMap<String, u32> = HashMap::with_capacity(stack.resources.len());
            // Parameters share the namespace `Ref` looks names up in.
            let params: HashMap<&str, ()> =
                stack.parameters.iter().map(|(n, _)| (n.as_str(), ())).collect();
            for (index, node) in stack.resources.iter().enumerate() {
                let id = node.logical_id();
                // A bad construct id was already reported where it was given; its derived
                // logical ID (empty for `""`) would only repeat that problem.
                let bad_component = node.logical_id.is_none()
                    && node.path.components().iter().any(|c| check_construct_id(c).is_some());
                let invalid = if bad_component { None } else { check_logical_id(&id) };
                if let Some(message) = invalid {
                    errors.push(SynthError::InvalidName {
                        path: format!("{}/{}", stack.name, node.path),
                        message,
                    });
                }
                if let Some(&first) = seen.get(&id) {
                    // Two resources at one path were already reported as a clash.
                    if stack.resources[first as usize].path == node.path {
                        ids.push(id);
                        continue;
                    }
                    errors.push(SynthError::DuplicateLogicalId {
                        stack: stack.name.clone(),
                        logical_id: id.clone(),
                        first: stack.resources[first as usize].path.to_string(),
                        second: node.path.to_string(),
                    });
                } else if params.contains_key(id.as_str()) {
                    errors.push(SynthError::DuplicateLogicalId {
                        stack: stack.name.clone(),
                        logical_id: id.clone(),
                        first: format!("parameter {id}"),
                        second: node.path.to_string(),
                    });
                } else {
                    seen.insert(id.clone(), index as u32);
                }
                ids.push(id);
            }
            resources.push(ids);
            by_id.push(seen);
        }
        Names { resources, by_id }
    }
}
