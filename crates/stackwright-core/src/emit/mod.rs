//! Turning a resolved template tree into bytes: pretty JSON, or YAML with the short-form
//! intrinsic tags a person would write. Only this module produces template text.

mod json;
mod node;
mod yaml;

pub use json::{to_json, to_json_line};
pub use node::Node;
pub use yaml::to_yaml;
