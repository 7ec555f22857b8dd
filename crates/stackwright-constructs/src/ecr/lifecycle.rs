//! ECR lifecycle policies as typed values: rules, their automatic priorities, ECR's checks,
//! and the compact JSON text the `LifecyclePolicyText` property takes.

use stackwright_core::{Expr, Json, Val, fns};

use crate::Duration;

/// The longest lifecycle policy text ECR accepts (its service quota, in characters).
pub const MAX_POLICY_LENGTH: usize = 30_720;

/// The most `*` wildcards ECR accepts in one tag pattern.
pub const MAX_PATTERN_WILDCARDS: usize = 4;

/// Which tags a `tagged` rule selects. The two forms exclude each other, as in ECR.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TagFilter {
    /// Images with a tag starting with each of these prefixes (`tagPrefixList`).
    Prefixes(Vec<String>),
    /// Images with a tag matching each of these patterns, `*` matching any run of
    /// characters, at most four per pattern (`tagPatternList`).
    Patterns(Vec<String>),
}

/// Which images a rule considers (`selection.tagStatus`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TagStatus {
    /// Tagged images whose tags match the filter (`tagged`).
    Tagged(TagFilter),
    /// Images without a tag (`untagged`).
    Untagged,
    /// Every image (`any`). At most one rule may select it, and it must run last.
    Any,
}

impl TagStatus {
    fn name(&self) -> &'static str {
        match self {
            TagStatus::Tagged(_) => "tagged",
            TagStatus::Untagged => "untagged",
            TagStatus::Any => "any",
        }
    }
}

/// When a rule expires the images it selects (`countType` and `countNumber`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Count {
    /// Keeps the newest `n` images and expires the rest (`imageCountMoreThan`).
    MoreThan(u32),
    /// Expires images pushed longer ago than this many whole days (`sinceImagePushed`,
    /// `countUnit` `days`).
    SincePushed(Duration),
}

/// One rule of a lifecycle policy. Every rule expires images, the only action ECR has for
/// all repositories.
///
/// ```
/// use stackwright_constructs::ecr::LifecycleRule;
/// let untagged = LifecycleRule::expire_untagged_after_days(1).description("Expire untagged images");
/// let releases = LifecycleRule::keep_last(10).tag_prefixes(["v"]).description("Keep last 10 images");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LifecycleRule {
    priority: Option<u32>,
    description: Option<String>,
    tag_status: TagStatus,
    count: Count,
}

impl LifecycleRule {
    /// A rule selecting `tag_status` images and expiring them by `count`.
    pub fn new(tag_status: TagStatus, count: Count) -> LifecycleRule {
        LifecycleRule { priority: None, description: None, tag_status, count }
    }

    /// Keeps the newest `n` images (of any tag status until narrowed with
    /// [`tag_prefixes`](Self::tag_prefixes), [`tag_patterns`](Self::tag_patterns) or
    /// [`untagged`](Self::untagged)) and expires older ones.
    pub fn keep_last(n: u32) -> LifecycleRule {
        LifecycleRule::new(TagStatus::Any, Count::MoreThan(n))
    }

    /// Expires images (of any tag status until narrowed) pushed more than `days` days ago.
    pub fn expire_after_days(days: u32) -> LifecycleRule {
        LifecycleRule::new(TagStatus::Any, Count::SincePushed(Duration::days(u64::from(days))))
    }

    /// Expires untagged images pushed more than `days` days ago: the leftovers of tags that
    /// moved to newer images.
    pub fn expire_untagged_after_days(days: u32) -> LifecycleRule {
        LifecycleRule::expire_after_days(days).untagged()
    }

    /// Selects only tagged images with a tag starting with each of `prefixes`.
    pub fn tag_prefixes<S: Into<String>>(mut self, prefixes: impl IntoIterator<Item = S>) -> Self {
        let list = prefixes.into_iter().map(Into::into).collect();
        self.tag_status = TagStatus::Tagged(TagFilter::Prefixes(list));
        self
    }

    /// Selects only tagged images with a tag matching each of `patterns` (`*` wildcards).
    pub fn tag_patterns<S: Into<String>>(mut self, patterns: impl IntoIterator<Item = S>) -> Self {
        let list = patterns.into_iter().map(Into::into).collect();
        self.tag_status = TagStatus::Tagged(TagFilter::Patterns(list));
        self
    }

    /// Selects only untagged images.
    pub fn untagged(mut self) -> Self {
        self.tag_status = TagStatus::Untagged;
        self
    }

    /// Selects every image, whatever its tags.
    pub fn any_tag_status(mut self) -> Self {
        self.tag_status = TagStatus::Any;
        self
    }

    /// Fixes the rule's priority (1 runs first). Rules without one are numbered after the
    /// highest fixed priority, in the order they were added, with an `any` rule last.
    pub fn priority(mut self, priority: u32) -> Self {
        self.priority = Some(priority);
        self
    }

    /// Says what the rule is for; shown in the ECR console.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// The images the rule selects.
    pub fn tag_status(&self) -> &TagStatus {
        &self.tag_status
    }

    /// When the rule expires them.
    pub fn count(&self) -> Count {
        self.count
    }

    /// The fixed priority, if any.
    pub fn fixed_priority(&self) -> Option<u32> {
        self.priority
    }

    /// How messages name this rule: its position (from 1) in the order the rules were added,
    /// and its description if it has one.
    fn label(&self, index: usize) -> String {
        match &self.description {
            Some(d) => format!("lifecycle rule {} (\"{d}\")", index + 1),
            None => format!("lifecycle rule {}", index + 1),
        }
    }

    fn render(&self, priority: u32) -> Val<Json> {
        let strings = |items: &[String]| Val::<Json>::list(items.iter().map(|i| i.as_str().into()));
        let mut selection: Vec<(&str, Val<Json>)> =
            vec![("tagStatus", self.tag_status.name().into())];
        match &self.tag_status {
            TagStatus::Tagged(TagFilter::Prefixes(p)) => {
                selection.push(("tagPrefixList", strings(p)))
            }
            TagStatus::Tagged(TagFilter::Patterns(p)) => {
                selection.push(("tagPatternList", strings(p)))
            }
            TagStatus::Untagged | TagStatus::Any => {}
        }
        match self.count {
            Count::MoreThan(n) => {
                selection.push(("countType", "imageCountMoreThan".into()));
                selection.push(("countNumber", n.into()));
            }
            Count::SincePushed(d) => {
                selection.push(("countType", "sinceImagePushed".into()));
                selection.push(("countUnit", "days".into()));
                let days = i64::try_from(d.as_seconds() / 86_400).unwrap_or(i64::MAX);
                selection.push(("countNumber", days.into()));
            }
        }
        let mut rule: Vec<(&str, Val<Json>)> = vec![("rulePriority", priority.into())];
        if let Some(d) = &self.description {
            rule.push(("description", d.as_str().into()));
        }
        rule.push(("selection", Val::object(selection)));
        rule.push(("action", Val::object([("type", Val::<Json>::from("expire"))])));
        Val::object(rule)
    }

    /// What ECR would reject in this rule alone.
    fn check(&self, index: usize, out: &mut Vec<String>) {
        let at = self.label(index);
        if self.priority == Some(0) {
            out.push(format!("{at} has rulePriority 0; ECR priorities start at 1"));
        }
        match self.count {
            Count::MoreThan(0) => out.push(format!(
                "{at} keeps more than 0 images; ECR needs a countNumber of at least 1"
            )),
            Count::MoreThan(_) => {}
            Count::SincePushed(d) => {
                if d.as_seconds() % 86_400 != 0 {
                    out.push(format!(
                        "{at} expires images after {d}; ECR counts image age in whole days"
                    ));
                } else if d.as_seconds() == 0 {
                    out.push(format!(
                        "{at} expires images after 0 days; ECR needs a countNumber of at least 1"
                    ));
                }
            }
        }
        match &self.tag_status {
            TagStatus::Tagged(TagFilter::Prefixes(p)) if p.is_empty() => out.push(format!(
                "{at} selects tagged images but lists no tag prefixes; give at least one"
            )),
            TagStatus::Tagged(TagFilter::Patterns(p)) if p.is_empty() => out.push(format!(
                "{at} selects tagged images but lists no tag patterns; give at least one"
            )),
            TagStatus::Tagged(TagFilter::Patterns(patterns)) => {
                for p in patterns {
                    let n = p.matches('*').count();
                    if n > MAX_PATTERN_WILDCARDS {
                        out.push(format!(
                            "{at}: tag pattern `{p}` has {n} wildcards; ECR allows at most {MAX_PATTERN_WILDCARDS} per pattern"
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}

/// A repository's lifecycle policy: its rules, kept typed until they are rendered into the
/// compact JSON text of `LifecyclePolicyText`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LifecyclePolicy {
    rules: Vec<LifecycleRule>,
}

impl LifecyclePolicy {
    /// A policy without rules.
    pub fn new() -> LifecyclePolicy {
        LifecyclePolicy::default()
    }

    /// A policy with these rules, in this order.
    pub fn with(rules: impl IntoIterator<Item = LifecycleRule>) -> LifecyclePolicy {
        LifecyclePolicy { rules: rules.into_iter().collect() }
    }

    /// Adds a rule after the others.
    pub fn add(&mut self, rule: LifecycleRule) {
        self.rules.push(rule);
    }

    /// The rules, in the order they were added.
    pub fn rules(&self) -> &[LifecycleRule] {
        &self.rules
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Each rule's index with its final priority: fixed ones as given; the rest numbered
    /// after the highest fixed one in the order added, `any` rules last, so the catch-all
    /// rule comes after the rules it is meant to leave alone, as ECR requires.
    fn prioritized(&self) -> Vec<(usize, u32)> {
        let mut next =
            self.rules.iter().filter_map(|r| r.priority).max().unwrap_or(0).saturating_add(1);
        let mut out: Vec<(usize, u32)> = Vec::with_capacity(self.rules.len());
        let unfixed = |any: bool| {
            self.rules
                .iter()
                .enumerate()
                .filter(move |(_, r)| {
                    r.priority.is_none() && (r.tag_status == TagStatus::Any) == any
                })
                .map(|(i, _)| i)
        };
        for (i, r) in self.rules.iter().enumerate() {
            if let Some(p) = r.priority {
                out.push((i, p));
            }
        }
        for i in unfixed(false).chain(unfixed(true)) {
            out.push((i, next));
            next = next.saturating_add(1);
        }
        // ECR stores rules by priority; emitting them that way keeps the text stable.
        out.sort_by_key(|&(i, p)| (p, i));
        out
    }

    /// The policy as JSON: rules in priority order, keys in the order ECR's documentation
    /// writes them.
    pub fn to_json(&self) -> Val<Json> {
        let rules: Vec<Val<Json>> = self
            .prioritized()
            .into_iter()
            .filter_map(|(i, p)| self.rules.get(i).map(|r| r.render(p)))
            .collect();
        Val::object([("rules", Val::<Json>::list(rules))])
    }

    /// The policy as compact single-line JSON, the form `LifecyclePolicyText` takes.
    pub fn to_json_string(&self) -> String {
        match fns::json_text(&self.to_json()).into_expr() {
            Expr::Str(text) => text,
            // Every value of a rule is a literal, so the text has no references.
            _ => String::new(),
        }
    }

    /// Every rule of ECR's this policy breaks, as messages naming the rule.
    pub fn validate(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            r.check(i, &mut out);
        }
        let order = self.prioritized();
        let label = |i: usize| self.rules.get(i).map(|r| r.label(i)).unwrap_or_default();
        // `order` is sorted by priority, so rules sharing one sit side by side.
        for run in order.chunk_by(|a, b| a.1 == b.1) {
            if let [(_, p), _, ..] = run {
                let names: Vec<String> = run.iter().map(|(i, _)| label(*i)).collect();
                out.push(format!(
                    "{} {} rulePriority {p}; ECR needs a unique priority per rule",
                    and_list(&names),
                    if names.len() == 2 { "both have" } else { "all have" }
                ));
            }
        }
        let any: Vec<(usize, u32)> = order
            .iter()
            .copied()
            .filter(|(i, _)| self.rules.get(*i).is_some_and(|r| r.tag_status == TagStatus::Any))
            .collect();
        match any.as_slice() {
            [] => {}
            [(one, mine)] => {
                if let Some(&(highest, top)) = order.last() {
                    // A tie with the highest is already reported as a duplicate.
                    if top != *mine {
                        out.push(format!(
                            "{} selects any tag status, so ECR needs it to have the highest rulePriority, but it has {mine} and {} has {top}; raise its priority or leave it unset",
                            label(*one),
                            label(highest)
                        ));
                    }
                }
            }
            many => {
                let names: Vec<String> = many.iter().map(|(i, _)| label(*i)).collect();
                out.push(format!(
                    "{} {} any tag status; ECR allows one such rule",
                    and_list(&names),
                    if names.len() == 2 { "both select" } else { "all select" }
                ));
            }
        }
        if !self.rules.is_empty() {
            let n = self.to_json_string().chars().count();
            if n > MAX_POLICY_LENGTH {
                out.push(format!(
                    "the lifecycle policy is {n} characters long; ECR allows at most 30,720"
                ));
            }
        }
        out
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
