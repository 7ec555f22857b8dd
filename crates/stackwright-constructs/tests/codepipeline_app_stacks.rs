//! A pipeline that deploys the stacks of its own app: template paths, capabilities and run
//! orders derived from the stacks, parameter overrides and variables checked against them.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::{Value, json};
use stackwright_constructs::codepipeline::*;
use stackwright_constructs::iam::{Principal, Role, RoleProps};
use stackwright_constructs::sqs::{Queue, QueueProps};
use stackwright_core::{App, Environment, Format, Output, Parameter, Scope, StackId};

const CONNECTION: &str = "arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

/// A pipeline in stack `Delivery` with a source stage; `stages` adds the rest.
fn delivery(app: &mut App, stages: impl FnOnce(&mut Scope<'_>, &Pipeline, &Artifact)) {
    let mut s = app.stack("Delivery");
    let source = Artifact::new("Src");
    let pipeline = Pipeline::new(&mut s, "P", PipelineProps::new());
    pipeline.add_stage(
        &mut s,
        "Source",
        [CodeStarConnectionSource::new("Git", CONNECTION, "org/app", "main", &source)],
    );
    stages(&mut s, &pipeline, &source);
}

/// `Base` (a queue, exported) and `Top` (a role that reads it, so `Top` depends on `Base`).
fn two_stacks(app: &mut App) -> (StackId, StackId) {
    let mut base = app.stack("Base");
    let queue = Queue::new(&mut base, "Q", QueueProps::new());
    base.add_output("QueueUrl", Output::new(queue.queue_url()));
    let base_id = base.stack_id();
    let mut top = app.stack("Top");
    let role =
        Role::new(&mut top, "Reader", RoleProps::new(Principal::service("ec2.amazonaws.com")));
    queue.grant_consume(&mut top, &role);
    (base_id, top.stack_id())
}

fn stage<'a>(t: &'a Value, name: &str) -> &'a Value {
    let stages = t["Resources"]["P"]["Properties"]["Stages"].as_array();
    let found = stages.and_then(|s| s.iter().find(|s| s["Name"] == name));
    found.unwrap_or_else(|| panic!("no stage {name}"))
}

fn deployer(s: &mut Scope<'_>) -> Role {
    Role::new(s, "Deployer", RoleProps::new(Principal::service("cloudformation.amazonaws.com")))
}

#[test]
fn stacks_of_one_stage_deploy_in_dependency_order_with_derived_paths_and_capabilities() {
    let mut app = App::new();
    let (base, top) = two_stacks(&mut app);
    delivery(&mut app, |s, p, src| {
        let role = deployer(s);
        p.add_stage(
            s,
            "Deploy",
            [
                StackDeploy::new("Top", top, src).deployment_role(&role),
                StackDeploy::new("Base", base, src).deployment_role(&role),
            ],
        );
    });
    let t = template(&app, "Delivery");
    let actions = &stage(&t, "Deploy")["Actions"];
    assert_eq!(actions[0]["Name"], "Base");
    assert_eq!(actions[0]["RunOrder"], 1);
    assert_eq!(actions[1]["Name"], "Top");
    assert_eq!(actions[1]["RunOrder"], 2);
    assert_eq!(
        actions[1]["Configuration"],
        json!({
            "ActionMode": "CREATE_UPDATE",
            "StackName": "Top",
            "TemplatePath": "Src::stacks/Top.template.json",
            "Capabilities": "CAPABILITY_IAM",
            "RoleArn": {"Fn::GetAtt": ["Deployer", "Arn"]},
        })
    );
    // Base holds no IAM resource: no capability to acknowledge.
    assert_eq!(actions[0]["Configuration"].get("Capabilities"), None);
}

#[test]
fn the_template_path_follows_the_output_folder_and_format() {
    let mut app = App::new();
    let (base, _) = two_stacks(&mut app);
    delivery(&mut app, |s, p, src| {
        let role = deployer(s);
        p.add_stage(s, "Deploy", [StackDeploy::new("Base", base, src).deployment_role(&role)]);
    });
    let assembly = match app.synth_for_source(Format::Yaml, "infra/cfn") {
        Ok(a) => a,
        Err(d) => panic!("{d}"),
    };
    let body = assembly.stack("Delivery").map(|s| s.body.clone()).unwrap_or_default();
    assert!(body.contains("TemplatePath: Src::infra/cfn/Base.template.yaml"), "{body}");
}

#[test]
fn named_iam_and_transforms_need_their_capabilities() {
    let mut app = App::new();
    let named = {
        let mut s = app.stack("Named");
        Role::new(
            &mut s,
            "R",
            RoleProps::new(Principal::service("ec2.amazonaws.com")).role_name("fixed-name"),
        );
        s.add_transform("AWS::Serverless-2016-10-31");
        s.stack_id()
    };
    delivery(&mut app, |s, p, src| {
        let role = deployer(s);
        p.add_stage(s, "Deploy", [StackDeploy::new("Named", named, src).deployment_role(&role)]);
    });
    let t = template(&app, "Delivery");
    assert_eq!(
        stage(&t, "Deploy")["Actions"][0]["Configuration"]["Capabilities"],
        "CAPABILITY_NAMED_IAM,CAPABILITY_AUTO_EXPAND"
    );
}

#[test]
fn a_reviewed_deployment_is_a_change_set_an_approval_and_its_execution() {
    let mut app = App::new();
    let (base, _) = two_stacks(&mut app);
    delivery(&mut app, |s, p, src| {
        let role = deployer(s);
        p.add_stage(
            s,
            "Production",
            [StackDeploy::new("Base", base, src).deployment_role(&role).review_change_set(true)],
        );
    });
    let t = template(&app, "Delivery");
    let actions = stage(&t, "Production")["Actions"].as_array().cloned().unwrap_or_default();
    let summary: Vec<(String, String, i64)> = actions
        .iter()
        .map(|a| {
            let mode = a["Configuration"]["ActionMode"].as_str().unwrap_or("approval");
            (
                a["Name"].as_str().unwrap_or_default().to_owned(),
                mode.to_owned(),
                a["RunOrder"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("BaseChangeSet".to_owned(), "CHANGE_SET_REPLACE".to_owned(), 1),
            ("BaseReview".to_owned(), "approval".to_owned(), 2),
            ("Base".to_owned(), "CHANGE_SET_EXECUTE".to_owned(), 3),
        ]
    );
    assert_eq!(actions[0]["Configuration"]["ChangeSetName"], "Base-changes");
    // The pipeline role may create and execute change sets of that stack, nothing more.
    let policy = &t["Resources"]["PRoleDefaultPolicy"]["Properties"]["PolicyDocument"];
    let text = policy.to_string();
    assert!(text.contains("cloudformation:ExecuteChangeSet"), "{text}");
    assert!(!text.contains("cloudformation:UpdateStack"), "{text}");
}

#[test]
fn stack_outputs_are_pipeline_variables_for_later_actions() {
    let mut app = App::new();
    let (base, _) = two_stacks(&mut app);
    delivery(&mut app, |s, p, src| {
        let role = deployer(s);
        let deploy = StackDeploy::new("Base", base, src).deployment_role(&role);
        let url = deploy.output("QueueUrl");
        p.add_stage(s, "Deploy", [deploy]);
        p.add_stage(s, "Announce", [ManualApproval::new("Look").review_url(url)]);
    });
    let t = template(&app, "Delivery");
    let deploy = &stage(&t, "Deploy")["Actions"][0];
    assert_eq!(deploy["Namespace"], "Base");
    assert_eq!(
        stage(&t, "Announce")["Actions"][0]["Configuration"]["ExternalEntityLink"],
        "#{Base.QueueUrl}"
    );
}

#[test]
fn the_self_update_deploys_the_pipeline_stack_and_restarts_the_run() {
    let mut app = App::new();
    delivery(&mut app, |s, p, src| {
        let role = deployer(s);
        let own = s.stack_id();
        p.add_self_update(
            s,
            "UpdatePipeline",
            StackDeploy::new("Self", own, src).deployment_role(&role),
        );
    });
    let t = template(&app, "Delivery");
    assert_eq!(t["Resources"]["P"]["Properties"]["RestartExecutionOnUpdate"], true);
    let config = &stage(&t, "UpdatePipeline")["Actions"][0]["Configuration"];
    assert_eq!(config["StackName"], "Delivery");
    assert_eq!(config["Capabilities"], "CAPABILITY_IAM");
}

#[test]
fn bad_deployments_of_app_stacks_are_synth_errors() {
    let mut other = App::new();
    let foreign = other.stack("Elsewhere").stack_id();

    let mut app = App::new();
    let (base, top) = two_stacks(&mut app);
    let (with_params, level, other_param) = {
        let mut s = app.stack("Params");
        let level = s.add_parameter("LogLevel", Parameter::string());
        s.add_parameter("Size", Parameter::number().default_number(1.0));
        Queue::new(&mut s, "Q", QueueProps::new());
        let mut o = app.stack("Other");
        Queue::new(&mut o, "Q", QueueProps::new());
        let other = o.add_parameter("Mine", Parameter::string());
        (app.stack("Params").stack_id(), level, other)
    };
    let prod = {
        let mut s = app.stack("Prod");
        s.set_environment(Environment::new("222222222222", "us-east-1"));
        Queue::new(&mut s, "Q", QueueProps::new());
        s.stack_id()
    };
    let mut s = app.stack("Delivery");
    s.set_environment(Environment::new("111111111111", "us-east-1"));
    let source = Artifact::new("Src");
    let p = Pipeline::new(&mut s, "P", PipelineProps::new());
    p.add_stage(
        &mut s,
        "Source",
        [CodeStarConnectionSource::new("Git", CONNECTION, "org/app", "main", &source)],
    );
    let role = deployer(&mut s);
    let d = |name: &str, id: StackId| StackDeploy::new(name, id, &source).deployment_role(&role);
    p.add_stage(&mut s, "First", [d("Top", top)]);
    p.add_stage(&mut s, "Second", [d("Base", base)]);
    p.add_stage(
        &mut s,
        "Third",
        [
            d("Params", with_params)
                .parameter_named("LogLevle", "info")
                .parameter(other_param, "x"),
            d("Foreign", foreign),
            d("Prod", prod),
        ],
    );
    p.add_stage(
        &mut s,
        "Fourth",
        [ManualApproval::new("Look").review_url("#{Bas.QueueUrl} #{Base.QueueUri}")],
    );
    let _ = level;
    assert_eq!(
        errors(&app),
        vec![
            "Delivery/P: action `First/Top` deploys stack `Top`, which depends on stack `Base`, \
             but `Second/Base` deploys `Base` in a later stage, `Second`; deploy `Base` first: \
             in an earlier stage, or in the same stage without run orders so they follow the \
             dependencies",
            "Delivery/P: action `Third/Params` sets parameter `LogLevle`, which stack `Params` \
             does not declare; its parameters: `LogLevel`, `Size`",
            "Delivery/P: action `Third/Params` sets parameter `Mine` of stack `Other`, but it \
             deploys stack `Params`; pass a parameter of `Params`",
            "Delivery/P: action `Third/Params` leaves out parameter `LogLevel` of stack \
             `Params`, which has no default; set it with `.parameter(..)` or give the \
             parameter a default",
            "Delivery/P: action `Third/Foreign` deploys a stack of another app; a pipeline \
             deploys the stacks of the app that holds it",
            "Delivery/P: action `Third/Prod` deploys stack `Prod` to account 222222222222, but \
             the pipeline runs in account 111111111111: give `cross_account_role` and \
             `deployment_role_arn`, roles of account 222222222222 that the action runs as and \
             CloudFormation deploys with",
            "Delivery/P: action `Fourth/Look` reads `#{Bas.QueueUrl}`, but no action publishes \
             variables under namespace `Bas`",
            "Delivery/P: action `Fourth/Look` reads `#{Base.QueueUri}`, but stack `Base` has \
             no output `QueueUri`; its outputs: `QueueUrl`",
        ]
    );
}

#[test]
fn a_self_update_of_another_stack_is_an_error() {
    let mut app = App::new();
    let (base, _) = two_stacks(&mut app);
    delivery(&mut app, |s, p, src| {
        let role = deployer(s);
        p.add_self_update(
            s,
            "UpdatePipeline",
            StackDeploy::new("Self", base, src).deployment_role(&role),
        );
    });
    assert_eq!(
        errors(&app),
        vec![
            "Delivery: self-update action `UpdatePipeline/Self` deploys another stack than the \
             pipeline's own, `Delivery`; deploy the stack that holds the pipeline: \
             `StackDeploy::new(name, scope.stack_id(), &source)`"
        ]
    );
}

/// A project whose typed buildspec exports `IMAGE_TAG`.
fn exporting_project(s: &mut Scope<'_>) -> stackwright_constructs::codebuild::Project {
    use stackwright_constructs::codebuild::{
        BuildSpec, BuildSpecLocation, Phase, Project, ProjectProps, Source,
    };
    let spec = BuildSpec::new()
        .exported_variable("IMAGE_TAG")
        .build(Phase::with_commands(["export IMAGE_TAG=$CODEBUILD_RESOLVED_SOURCE_VERSION"]));
    Project::new(
        s,
        "Build",
        ProjectProps::new(Source::CodePipeline).buildspec(BuildSpecLocation::Inline(spec)),
    )
}

#[test]
fn a_builds_exported_variable_feeds_a_parameter_and_its_namespace_is_chosen() {
    let mut app = App::new();
    let svc = {
        let mut s = app.stack("Svc");
        let tag = s.add_parameter("ImageTag", Parameter::string());
        Queue::new(&mut s, "Q", QueueProps::new());
        (s.stack_id(), tag)
    };
    delivery(&mut app, |s, p, src| {
        let role = deployer(s);
        let project = exporting_project(s);
        let build = CodeBuildAction::new("Build", &project, src);
        let tag = build.variable("IMAGE_TAG");
        p.add_stage(s, "Build", [build]);
        p.add_stage(
            s,
            "Deploy",
            [StackDeploy::new("Svc", svc.0, src).deployment_role(&role).parameter(svc.1, tag)],
        );
    });
    let t = template(&app, "Delivery");
    assert_eq!(stage(&t, "Build")["Actions"][0]["Namespace"], "Build");
    assert_eq!(
        stage(&t, "Deploy")["Actions"][0]["Configuration"]["ParameterOverrides"],
        "{\"ImageTag\":\"#{Build.IMAGE_TAG}\"}"
    );
}

#[test]
fn a_variable_the_buildspec_does_not_export_or_read_too_early_is_an_error() {
    let mut app = App::new();
    delivery(&mut app, |s, p, src| {
        let project = exporting_project(s);
        let build = CodeBuildAction::new("Build", &project, src);
        let typo = build.variable("IMAGE_TAGG");
        let tag = build.variable("IMAGE_TAG");
        p.add_stage(
            s,
            "Build",
            [
                ManualApproval::new("Early").review_url(tag).run_order(1),
                ManualApproval::new("Late").review_url(typo).run_order(3),
            ],
        );
        p.add_stage(s, "Built", [build]);
    });
    assert_eq!(
        errors(&app),
        vec![
            "Delivery/P: action `Build/Early` reads `#{Build.IMAGE_TAG}`, which `Built/Build` \
             publishes only later; read it in a later stage or at a higher run order",
            "Delivery/P: action `Build/Late` reads `#{Build.IMAGE_TAGG}`, which `Built/Build` \
             publishes only later; read it in a later stage or at a higher run order",
            "Delivery/P: action `Build/Late` reads `#{Build.IMAGE_TAGG}`, but the buildspec of \
             project `Build` does not export `IMAGE_TAGG`; export it with \
             `.exported_variable(\"IMAGE_TAGG\")` (it exports: `IMAGE_TAG`)",
        ]
    );
}

#[test]
fn a_stack_in_another_account_and_region_deploys_through_that_accounts_roles() {
    let mut app = App::new();
    let prod = {
        let mut s = app.stack("Prod");
        s.set_environment(Environment::new("222222222222", "eu-west-1"));
        Queue::new(&mut s, "Q", QueueProps::new());
        s.stack_id()
    };
    let mut s = app.stack("Delivery");
    s.set_environment(Environment::new("111111111111", "us-east-1"));
    let source = Artifact::new("Src");
    let p = Pipeline::new(
        &mut s,
        "P",
        PipelineProps::new().cross_account(true).regional_artifact_store(
            RegionalStore::new("eu-west-1", "artifacts-eu-west-1").kms_key(
                "arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
            ),
        ),
    );
    p.add_stage(
        &mut s,
        "Source",
        [CodeStarConnectionSource::new("Git", CONNECTION, "org/app", "main", &source)],
    );
    let action_role = "arn:aws:iam::222222222222:role/PipelineDeployAction";
    p.add_stage(
        &mut s,
        "Production",
        [StackDeploy::new("Prod", prod, &source)
            .cross_account_role(action_role)
            .deployment_role_arn("arn:aws:iam::222222222222:role/CloudFormationExecution")],
    );
    let t = template(&app, "Delivery");
    let action = &stage(&t, "Production")["Actions"][0];
    assert_eq!(action["Region"], "eu-west-1");
    assert_eq!(action["RoleArn"], action_role);
    assert_eq!(
        action["Configuration"]["RoleArn"],
        "arn:aws:iam::222222222222:role/CloudFormationExecution"
    );
    // The pipeline role may assume the action role, which may read the artifact store.
    let policy = t["Resources"]["PRoleDefaultPolicy"].to_string();
    assert!(policy.contains("sts:AssumeRole") && policy.contains(action_role), "{policy}");
    let bucket_policy = t["Resources"]["PArtifactsBucketPolicy"].to_string();
    assert!(bucket_policy.contains(action_role), "{bucket_policy}");
}
