//! KMS: customer managed keys whose policy is kept typed until synth, so the constructs that
//! encrypt with a key (log groups) add the statements the key needs.

mod key;

pub use key::{Key, KeyProps, KeyState};
