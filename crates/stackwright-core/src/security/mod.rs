//! Security rules over the synthesized model, and suppressions of their findings with reasons.
//!
//! A [`SecurityRule`] looks at one rendered resource (its properties with every reference
//! resolved to a logical ID of its template, so a rule can follow a `Ref` or a `GetAtt` to the
//! resource it names) and reports findings. Rules come in packs registered on the
//! [`App`](crate::App) (`App::add_rule_pack`); this crate knows no resource type, so the
//! packs live with the constructs. A [`Suppression`] on a construct or a resource says why a
//! rule does not apply there; synth writes it into the resource's `Metadata` in the forms
//! other scanners read, so they agree with the built-in findings.

mod engine;
mod metadata;
mod sarif;

pub use engine::{Finding, ResourceView};
pub use sarif::{rules_json, rules_sarif, rules_text};

pub(crate) use engine::{evaluate, for_resource};
pub(crate) use metadata::suppression_metadata;

use std::fmt;
use std::panic::Location;

use crate::construct::{ConstructId, ConstructRef};
use crate::ids::ResourceId;

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Data exposed or access wider than asked for.
    High,
    /// A missing layer of defence (encryption with a customer key, logging).
    Medium,
    /// Hygiene: limits and settings that make incidents easier to handle.
    Low,
}

impl Severity {
    /// `high`, `medium` or `low`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One rule of a pack: what it checks, its names in other scanners, and the check itself.
#[derive(Debug)]
pub struct SecurityRule {
    /// Stable id (`sns.encrypted`).
    pub id: &'static str,
    /// How much a finding matters.
    pub severity: Severity,
    /// The CloudFormation types it looks at.
    pub resource_types: &'static [&'static str],
    /// The equivalent cdk-nag rules (`AwsSolutions-SNS2`).
    pub cdk_nag: &'static [&'static str],
    /// The equivalent checkov checks (`CKV_AWS_26`).
    pub checkov: &'static [&'static str],
    /// The equivalent cfn-guard rules of the AWS Guard rules registry (`SNS_ENCRYPTED_KMS`).
    pub guard: &'static [&'static str],
    /// What is wrong when it fires.
    pub message: &'static str,
    /// What to do about it.
    pub fix: &'static str,
    /// Pushes one detail per finding on the resource (`port 80`, `s3:*`); an empty detail
    /// when the finding is about the resource as a whole.
    pub check: fn(&ResourceView<'_>, &mut Vec<String>),
}

impl SecurityRule {
    /// Whether the rule looks at resources of this type.
    pub fn applies_to(&self, resource_type: &str) -> bool {
        self.resource_types.contains(&resource_type)
    }
}

/// A pack of rules.
pub type RulePack = &'static [&'static SecurityRule];

/// A rule declared not to apply to a construct (and every resource under it) or a resource,
/// with the reason. Scoped to one finding with [`finding`](Suppression::finding).
#[derive(Clone, Debug)]
pub struct Suppression {
    pub(crate) rule: &'static SecurityRule,
    pub(crate) reason: String,
    pub(crate) finding: Option<String>,
    pub(crate) location: &'static Location<'static>,
}

impl Suppression {
    /// Suppresses `rule` for the reason given; the reason must not be empty.
    #[track_caller]
    pub fn new(rule: &'static SecurityRule, reason: impl Into<String>) -> Suppression {
        Suppression { rule, reason: reason.into(), finding: None, location: Location::caller() }
    }

    /// Suppresses only the finding with this detail (`port 80`, `s3:GetObject`); the other
    /// findings of the rule on the same resource still count. Scanners that suppress whole
    /// checks only (checkov, cfn-guard) are told of the rule.
    pub fn finding(mut self, detail: impl Into<String>) -> Suppression {
        self.finding = Some(detail.into());
        self
    }

    /// The rule suppressed.
    pub fn rule(&self) -> &'static SecurityRule {
        self.rule
    }

    /// Why the rule does not apply.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// What a suppression is put on: a construct (every resource under it) or one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SuppressTarget {
    /// A construct and every resource under its path.
    Construct(ConstructId),
    /// One resource.
    Resource(ResourceId),
}

impl From<ConstructId> for SuppressTarget {
    fn from(id: ConstructId) -> Self {
        SuppressTarget::Construct(id)
    }
}

impl<S> From<ConstructRef<S>> for SuppressTarget {
    fn from(node: ConstructRef<S>) -> Self {
        SuppressTarget::Construct(node.id())
    }
}

impl From<ResourceId> for SuppressTarget {
    fn from(id: ResourceId) -> Self {
        SuppressTarget::Resource(id)
    }
}

/// How an app treats the findings of its rule packs.
#[derive(Clone, Debug, Default)]
pub(crate) struct RuleSettings {
    pub(crate) packs: Vec<RulePack>,
    pub(crate) strict: bool,
}

impl RuleSettings {
    pub(crate) fn rules(&self) -> impl Iterator<Item = &'static SecurityRule> + '_ {
        self.packs.iter().flat_map(|p| p.iter().copied())
    }
}
