//! Typed CloudFormation resources (L1): one struct per resource type, one handle type per
//! resource type whose methods are that type's attributes.
//!
//! Required properties are arguments of `new`, optional ones chained setters; fields stay
//! public. Every property takes a [`Val`](stackwright_core::Val) of the right type, so a
//! literal, a parameter or another resource's attribute fits and a value of the wrong type
//! does not compile. Range, length and pattern constraints on literal values are checked at
//! synth by [`Resource::validate`](stackwright_core::Resource::validate).
//!
//! The types here cover IAM, SQS and SNS and are written by hand in the shape the schema
//! generator produces, so constructs built on them move to generated types unchanged.

/// Chained setters for optional properties: `fn name(self, impl Into<Val<T>>) -> Self`.
macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $t:ty;)*) => {$(
        $(#[$doc])*
        pub fn $name(mut self, value: impl Into<Val<$t>>) -> Self {
            self.$name = Some(value.into());
            self
        }
    )*};
}

mod constraint;
pub mod iam;
pub mod sns;
pub mod sqs;
mod tag;

pub use tag::Tag;
