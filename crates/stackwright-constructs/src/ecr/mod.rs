//! ECR: container image repositories with the article's defaults (scan on push, encryption
//! stated, kept on stack deletion), lifecycle policies as typed rules checked the way ECR
//! checks them, and least-privilege pull and push grants.
//!
//! This module owns the `Repository` construct, its `RepositoryState` (the lifecycle rules
//! kept typed until synth) and the lifecycle policy model
//! (`LifecyclePolicy`, `LifecycleRule`) that renders `LifecyclePolicyText`.

mod lifecycle;
mod repository;

pub use lifecycle::{
    Count, LifecyclePolicy, LifecycleRule, MAX_PATTERN_WILDCARDS, MAX_POLICY_LENGTH, TagFilter,
    TagStatus,
};
pub use repository::{
    Repository, RepositoryEncryption, RepositoryProps, RepositoryState, TagMutability,
};
