//! Completing the deployments of the app's own stacks when the pipeline renders, last of
//! all constructs: template paths, capabilities, checked parameter overrides, run orders in
//! dependency order, and the pipeline variables later actions read.

use std::collections::HashMap;

use stackwright_core::{App, Expr, Json, StackDependencies, StackFacts, StackId, Val, fns};

use super::action::{Action, ActionType, BuildProject, Common, Need};
use super::actions::{AppStack, CloudFormationMode, Override};
use super::model::StageModel;

/// A problem found while completing the stages: its code and message.
pub(crate) type Problem = (&'static str, String);

const DEPLOY: &str = "codepipeline.stack-deploy";
const VARIABLE: &str = "codepipeline.variable";

/// Completes every app-stack deployment of `stages` in place (a reviewed one becomes a
/// change set, an approval and its execution) and checks the pipeline's variables.
/// `pipeline_stack` is the stack that holds the pipeline.
pub(crate) fn complete(
    app: &App,
    pipeline_stack: StackId,
    stages: &mut [StageModel],
    problems: &mut Vec<Problem>,
) {
    let any = stages.iter().any(|s| s.actions.iter().any(|a| a.app_stack.is_some()));
    if any {
        let deps = app.stack_dependencies();
        for stage in stages.iter_mut() {
            order_stage(&deps, stage);
        }
        check_order(app, &deps, stages, problems);
        let home = app.stack_by_id(pipeline_stack).map(|s| s.environment().clone());
        for stage in stages.iter_mut() {
            let mut actions = Vec::with_capacity(stage.actions.len());
            for action in std::mem::take(&mut stage.actions) {
                match action.app_stack.clone() {
                    Some(target) => {
                        let label = format!("{}/{}", stage.name, action.name);
                        match app.stack_facts(target.stack) {
                            Some(facts) => {
                                let home = home.clone().unwrap_or_default();
                                let ctx = Ctx { app, facts: &facts, home: &home, label: &label };
                                actions.extend(ctx.deployment(action, &target, problems));
                            }
                            None => problems.push((
                                DEPLOY,
                                format!(
                                    "action `{label}` deploys a stack of another app; a pipeline \
                                 deploys the stacks of the app that holds it"
                                ),
                            )),
                        }
                    }
                    None => actions.push(action),
                }
            }
            // Listed in the order they run, as the console shows them.
            actions.sort_by_key(|a| a.run_order.unwrap_or(1));
            stage.actions = actions;
        }
    }
    name_namespaces(stages);
    check_variables(app, stages, problems);
}

/// Publishes the variables of an action under its own name when a later action reads
/// `#{Name.Variable}` and no action publishes namespace `Name` yet: the namespace is chosen
/// for the user, who wrote only `build.variable("X")`.
fn name_namespaces(stages: &mut [StageModel]) {
    let mut read = Vec::new();
    for a in stages.iter().flat_map(|s| &s.actions) {
        for (_, value) in &a.configuration {
            value.walk(&mut |e| {
                if let Expr::Str(s) = e {
                    read.extend(variables_in(s).into_iter().map(|(ns, _)| ns));
                }
            });
        }
    }
    let published: Vec<String> =
        stages.iter().flat_map(|s| &s.actions).filter_map(|a| a.namespace.clone()).collect();
    for a in stages.iter_mut().flat_map(|s| &mut s.actions) {
        let publishes = a.action_type.category != "Approval";
        if a.namespace.is_none()
            && publishes
            && read.contains(&a.name)
            && !published.contains(&a.name)
        {
            a.namespace = Some(a.name.clone());
        }
    }
}

/// Gives the stage's app-stack deployments without a run order one that follows the
/// stacks' dependencies: a stack after those of the stage it depends on, independent
/// stacks side by side.
fn order_stage(deps: &StackDependencies, stage: &mut StageModel) {
    let targets: Vec<Option<StackId>> =
        stage.actions.iter().map(|a| a.app_stack.as_ref().map(|t| t.stack)).collect();
    let mut level = vec![1i64; targets.len()];
    // Levels grow along dependency chains; a chain is at most as long as the stage.
    for _ in 0..targets.len() {
        let mut changed = false;
        for (i, a) in targets.iter().enumerate() {
            let Some(a) = a else { continue };
            for (j, b) in targets.iter().enumerate() {
                if let Some(b) = b
                    && i != j
                    && deps.depends_on(*a, *b)
                    && level[i] <= level[j]
                {
                    level[i] = level[j] + 1;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    // Each level starts after the one before: one run order, or three when a deployment
    // of that level is reviewed (change set, approval, execution).
    let top = level.iter().copied().max().unwrap_or(1);
    let mut base = vec![1i64; top as usize + 1];
    for l in 1..top as usize {
        let reviewed = stage
            .actions
            .iter()
            .zip(&level)
            .any(|(a, &al)| al as usize == l && a.app_stack.as_ref().is_some_and(|t| t.review));
        base[l + 1] = base[l] + if reviewed { 3 } else { 1 };
    }
    for (action, level) in stage.actions.iter_mut().zip(level) {
        if action.app_stack.is_some() && action.run_order.is_none() {
            action.run_order = Some(base[level as usize]);
        }
    }
}

/// Where an app-stack deployment sits: its stage and its first and last run order.
struct Placed<'a> {
    stage: usize,
    first: i64,
    last: i64,
    stack: StackId,
    label: String,
    stage_name: &'a str,
}

/// A stack must be deployed after every stack it depends on that the pipeline deploys.
fn check_order(
    app: &App,
    deps: &StackDependencies,
    stages: &[StageModel],
    problems: &mut Vec<Problem>,
) {
    let mut placed = Vec::new();
    for (i, stage) in stages.iter().enumerate() {
        for a in &stage.actions {
            if let Some(t) = &a.app_stack {
                let first = a.run_order.unwrap_or(1);
                let last = if t.review { first + 2 } else { first };
                let label = format!("{}/{}", stage.name, a.name);
                placed.push(Placed {
                    stage: i,
                    first,
                    last,
                    stack: t.stack,
                    label,
                    stage_name: &stage.name,
                });
            }
        }
    }
    let name = |id: StackId| app.stack_by_id(id).map(|s| s.name().to_owned()).unwrap_or_default();
    for a in &placed {
        for b in &placed {
            let before = b.stage < a.stage || (b.stage == a.stage && b.last < a.first);
            if a.stack != b.stack && deps.depends_on(a.stack, b.stack) && !before {
                let (sa, sb) = (name(a.stack), name(b.stack));
                let where_ = if a.stage == b.stage {
                    format!("in the same stage `{}`, not at a lower run order", a.stage_name)
                } else {
                    format!("in a later stage, `{}`", b.stage_name)
                };
                problems.push((
                    DEPLOY,
                    format!(
                        "action `{}` deploys stack `{sa}`, which depends on stack `{sb}`, but \
                     `{}` deploys `{sb}` {where_}; deploy `{sb}` first: in an earlier stage, \
                     or in the same stage without run orders so they follow the dependencies",
                        a.label, b.label
                    ),
                ));
            }
        }
    }
}

struct Ctx<'a> {
    app: &'a App,
    facts: &'a StackFacts,
    home: &'a stackwright_core::Environment,
    label: &'a str,
}

impl Ctx<'_> {
    /// The declarations of one deployment: one action, or three for a reviewed change set.
    fn deployment(
        &self,
        mut action: Action,
        t: &AppStack,
        problems: &mut Vec<Problem>,
    ) -> Vec<Action> {
        let facts = self.facts;
        let other_account = match (&facts.environment.account, &self.home.account) {
            (Some(there), Some(here)) if there != here => Some(there.clone()),
            _ => None,
        };
        if let Some(account) = &other_account
            && (t.cross_account_role.is_none() || t.deployment_role.is_none())
        {
            problems.push((
                DEPLOY,
                format!(
                    "action `{}` deploys stack `{}` to account {account}, but the pipeline runs in \
                 account {}: give `cross_account_role` and `deployment_role_arn`, roles of \
                 account {account} that the action runs as and CloudFormation deploys with",
                    self.label,
                    facts.name,
                    self.home.account.as_deref().unwrap_or("?"),
                ),
            ));
        }
        if let (Some(there), Some(here)) = (&facts.environment.region, &self.home.region)
            && there != here
        {
            action.region = Some(Val::from(there.as_str()));
        }
        let overrides = self.overrides(t, problems);
        let mut capabilities = Vec::new();
        let c = facts.capabilities;
        if c.named_iam {
            capabilities.push("CAPABILITY_NAMED_IAM");
        } else if c.iam {
            capabilities.push("CAPABILITY_IAM");
        }
        if c.auto_expand {
            capabilities.push("CAPABILITY_AUTO_EXPAND");
        }
        let template = format!("{}::{}", t.source.name(), facts.template_in_source);
        if let Some(role) = &t.cross_account_role {
            action.role_arn = Some(role.clone());
        }
        let with_template = |a: &mut Action, mode: CloudFormationMode| {
            a.config("ActionMode", mode.as_str());
            a.config("StackName", facts.name.as_str());
            a.config("TemplatePath", template.as_str());
            if !capabilities.is_empty() {
                a.config("Capabilities", capabilities.join(","));
            }
            a.config_opt("RoleArn", t.deployment_role.clone());
            if let Some(o) = &overrides {
                a.config("ParameterOverrides", o.clone());
            }
        };
        if !t.review {
            with_template(&mut action, CloudFormationMode::CreateUpdate);
            action.app_stack = None;
            return vec![action];
        }
        let change_set = format!("{}-changes", facts.name);
        let base = action.run_order.unwrap_or(1);
        let common = |name: String, run_order: i64| Common {
            name,
            run_order: Some(run_order),
            namespace: None,
            region: action.region.clone(),
        };
        let cfn = || {
            ActionType::new("Deploy", "AWS", "CloudFormation", "CloudFormation", (0, 10), (0, 1))
        };
        let mut plan = Action::new(common(format!("{}ChangeSet", action.name), base), cfn());
        plan.inputs = action.inputs.clone();
        plan.role_arn = action.role_arn.clone();
        with_template(&mut plan, CloudFormationMode::ReplaceChangeSet);
        plan.config("ChangeSetName", change_set.as_str());
        let mut approve = Action::new(
            common(format!("{}Review", action.name), base + 1),
            ActionType::new("Approval", "AWS", "Manual", "manual approval", (0, 0), (0, 0)),
        );
        approve.region = None;
        approve.config(
            "CustomData",
            format!("Review change set {change_set} of stack {} before it is executed", facts.name),
        );
        let mut execute = action;
        execute.inputs.clear();
        execute.run_order = Some(base + 2);
        execute.app_stack = None;
        execute.config("ActionMode", CloudFormationMode::ExecuteChangeSet.as_str());
        execute.config("StackName", facts.name.as_str());
        execute.config("ChangeSetName", change_set.as_str());
        vec![plan, approve, execute]
    }

    /// The parameter overrides as the JSON text CodePipeline takes, after checking them
    /// against the stack's parameters.
    fn overrides(&self, t: &AppStack, problems: &mut Vec<Problem>) -> Option<Val<String>> {
        let facts = self.facts;
        let mut given: Vec<(String, Val<String>)> = Vec::new();
        for (target, value) in &t.overrides {
            let name =
                match target {
                    Override::Parameter(p) => match self.app.parameter_name(p.id()) {
                        Some((stack, name)) if stack == facts.id => name.to_owned(),
                        Some((stack, name)) => {
                            let owner =
                                self.app.stack_by_id(stack).map(|s| s.name()).unwrap_or("?");
                            problems.push((DEPLOY, format!(
                            "action `{}` sets parameter `{name}` of stack `{owner}`, but it \
                             deploys stack `{}`; pass a parameter of `{}`",
                            self.label, facts.name, facts.name
                        )));
                            continue;
                        }
                        None => {
                            problems.push((DEPLOY, format!(
                            "action `{}` sets a parameter of another app; pass a parameter of \
                             stack `{}`",
                            self.label, facts.name
                        )));
                            continue;
                        }
                    },
                    Override::Named(name) => {
                        if !facts.parameters.iter().any(|p| &p.name == name) {
                            problems.push((DEPLOY, format!(
                            "action `{}` sets parameter `{name}`, which stack `{}` does not \
                             declare; {}",
                            self.label,
                            facts.name,
                            declared(facts)
                        )));
                            continue;
                        }
                        name.clone()
                    }
                };
            if given.iter().any(|(n, _)| *n == name) {
                problems.push((
                    DEPLOY,
                    format!("action `{}` sets parameter `{name}` twice; set it once", self.label),
                ));
                continue;
            }
            given.push((name, value.clone()));
        }
        for p in facts.parameters.iter().filter(|p| p.required) {
            if !given.iter().any(|(n, _)| *n == p.name) {
                problems.push((DEPLOY, format!(
                    "action `{}` leaves out parameter `{}` of stack `{}`, which has no default; \
                     set it with `.parameter(..)` or give the parameter a default",
                    self.label, p.name, facts.name
                )));
            }
        }
        if given.is_empty() {
            return None;
        }
        let object = Val::<Json>::object(given.into_iter().map(|(k, v)| (k, v.into_json())));
        Some(fns::json_text(&object))
    }
}

fn declared(facts: &StackFacts) -> String {
    if facts.parameters.is_empty() {
        return "it declares no parameters".to_owned();
    }
    let names: Vec<String> = facts.parameters.iter().map(|p| format!("`{}`", p.name)).collect();
    format!("its parameters: {}", names.join(", "))
}

/// Who publishes variables under a namespace: where it runs, and for a stack deployment the
/// outputs it publishes.
struct Publisher {
    stage: usize,
    run_order: i64,
    label: String,
    outputs: Option<Known>,
}

/// The variables a publisher is known to publish.
enum Known {
    /// A stack deployment: the stack's outputs.
    Outputs(String, Vec<String>),
    /// A build of a project with a typed buildspec: its exported variables.
    Exports(String, Vec<String>),
}

/// The variables a CodeBuild action's project exports, with the project's construct path,
/// when the project is a construct of the app with a typed buildspec.
fn exported_by(app: &App, a: &Action) -> Option<(String, Vec<String>)> {
    let project = a.needs.iter().find_map(|n| match n {
        Need::ProjectArtifacts(BuildProject::Construct(p)) => Some(*p),
        _ => None,
    })?;
    let exports = app.state(project.node())?.exported_variables()?.to_vec();
    let path = app.construct(project.node().id())?.path().to_string();
    Some((path, exports))
}

/// Every `#{Namespace.Variable}` an action reads must be published, earlier, by an action
/// of the pipeline (or be a pipeline variable); a stack's outputs are the variables its
/// deployment publishes.
fn check_variables(app: &App, stages: &[StageModel], problems: &mut Vec<Problem>) {
    let mut publishers: HashMap<String, Publisher> = HashMap::new();
    for (i, stage) in stages.iter().enumerate() {
        for a in &stage.actions {
            let Some(ns) = &a.namespace else { continue };
            let outputs = deployed_stack(app, a)
                .and_then(|id| app.stack_facts(id))
                .map(|f| Known::Outputs(f.name, f.outputs))
                .or_else(|| exported_by(app, a).map(|(p, v)| Known::Exports(p, v)));
            publishers.entry(ns.clone()).or_insert(Publisher {
                stage: i,
                run_order: a.run_order.unwrap_or(1),
                label: format!("{}/{}", stage.name, a.name),
                outputs,
            });
        }
    }
    for (i, stage) in stages.iter().enumerate() {
        for a in &stage.actions {
            let label = format!("{}/{}", stage.name, a.name);
            let mut read = Vec::new();
            for (_, value) in &a.configuration {
                value.walk(&mut |e| {
                    if let Expr::Str(s) = e {
                        read.extend(variables_in(s));
                    }
                });
            }
            for (ns, var) in read {
                if ns == "variables" || ns == "codepipeline" {
                    continue;
                }
                let Some(p) = publishers.get(&ns) else {
                    problems.push((
                        VARIABLE,
                        format!(
                            "action `{label}` reads `#{{{ns}.{var}}}`, but no action publishes \
                         variables under namespace `{ns}`"
                        ),
                    ));
                    continue;
                };
                let earlier =
                    p.stage < i || (p.stage == i && p.run_order < a.run_order.unwrap_or(1));
                if !earlier {
                    problems.push((
                        VARIABLE,
                        format!(
                            "action `{label}` reads `#{{{ns}.{var}}}`, which `{}` publishes only \
                         later; read it in a later stage or at a higher run order",
                            p.label
                        ),
                    ));
                }
                match &p.outputs {
                    Some(Known::Outputs(stack, outputs)) if !outputs.contains(&var) => {
                        problems.push((
                            VARIABLE,
                            format!(
                                "action `{label}` reads `#{{{ns}.{var}}}`, but stack `{stack}` \
                                 has no output `{var}`; {}",
                                listed(outputs, "its outputs", "it declares no outputs")
                            ),
                        ));
                    }
                    Some(Known::Exports(project, exports)) if !exports.contains(&var) => {
                        problems.push((
                            VARIABLE,
                            format!(
                                "action `{label}` reads `#{{{ns}.{var}}}`, but the buildspec of \
                                 project `{project}` does not export `{var}`; export it with \
                                 `.exported_variable(\"{var}\")` ({})",
                                listed(exports, "it exports", "it exports none")
                            ),
                        ));
                    }
                    _ => {}
                }
            }
        }
    }
}

/// `names` as a list for a message, or `none` when there are none.
fn listed(names: &[String], some: &str, none: &str) -> String {
    if names.is_empty() {
        return none.to_owned();
    }
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    format!("{some}: {}", names.join(", "))
}

/// The stack an action (completed) deploys, read back from its configuration.
fn deployed_stack(app: &App, a: &Action) -> Option<StackId> {
    if a.action_type.provider != "CloudFormation" {
        return None;
    }
    let name = a.configuration.iter().find(|(k, _)| k == "StackName")?.1.as_str()?;
    app.stacks().iter().find(|s| s.name() == name).map(|s| s.id())
}

/// The `#{Namespace.Variable}` references in a string.
pub(crate) fn variables_in(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("#{") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else { break };
        if let Some((ns, var)) = rest[..end].split_once('.')
            && !ns.is_empty()
            && !var.is_empty()
        {
            found.push((ns.to_owned(), var.to_owned()));
        }
        rest = &rest[end + 1..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::variables_in;

    #[test]
    fn variables_are_found_in_text() {
        assert_eq!(
            variables_in("a #{Build.IMAGE_TAG} b #{variables.Env}#{bad} #{x.}"),
            vec![
                ("Build".to_owned(), "IMAGE_TAG".to_owned()),
                ("variables".to_owned(), "Env".to_owned())
            ]
        );
        assert!(variables_in("#{unterminated.x").is_empty());
    }
}
