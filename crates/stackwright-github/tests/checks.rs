//! Every check's exact message, path and fix.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::REGENERATE;
use stackwright_github::actions::{checkout, configure_aws_credentials, ecr_login};
use stackwright_github::{
    Access, ActionRef, Container, Dispatch, Expr, IdToken, Input, Job, JobRef, Matrix, Permissions,
    PullRequest, Push, RunsOn, Step, Strategy, Text, Workflow,
};

const ROLE: &str = "arn:aws:iam::123456789012:role/Deploy";

fn read() -> Permissions {
    Permissions::none().contents(Access::Read)
}

fn oidc() -> Permissions {
    read().id_token(IdToken::Write)
}

/// A workflow with a push trigger and one job `build` with one step.
fn base() -> (Workflow, JobRef) {
    let mut wf = Workflow::new("ci", "CI");
    wf.on_push(Push::new().branches(["main"]));
    let job = wf.job("build", Job::new(RunsOn::ubuntu_latest(), read()));
    wf.step(job, Step::run("make"));
    (wf, job)
}

/// The errors, as `path: message; fix`.
fn errors(wf: &Workflow) -> Vec<String> {
    wf.check().errors.iter().map(ToString::to_string).collect()
}

fn warnings(wf: &Workflow) -> Vec<String> {
    wf.check().warnings.iter().map(ToString::to_string).collect()
}

fn codes(wf: &Workflow) -> Vec<&'static str> {
    wf.check().errors.iter().map(|e| e.code).collect()
}

#[test]
fn a_valid_workflow_has_no_errors_and_renders() {
    let (wf, _) = base();
    assert_eq!(errors(&wf), Vec::<String>::new());
    assert!(wf.render(REGENERATE).is_ok());
}

#[test]
fn render_refuses_a_workflow_with_errors_and_returns_all_of_them() {
    let mut wf = Workflow::new("ci", "CI");
    wf.job("a b", Job::new(RunsOn::ubuntu_latest(), read()));
    let report = wf.render(REGENERATE).unwrap_err();
    let codes: Vec<&str> = report.errors.iter().map(|e| e.code).collect();
    assert_eq!(codes, ["github.no-trigger", "github.job-id", "github.no-steps"]);
    assert_eq!(
        report.to_string(),
        "3 errors in the workflow:\n  error[github.no-trigger] ci: the workflow has no trigger, so it never runs; add one with `on_push`, `on_pull_request`, `on_dispatch` or `on_schedule`\n  error[github.job-id] ci/a b: the job id `a b` is not valid; start with a letter or `_` and use letters, digits, `-` and `_`\n  error[github.no-steps] ci/a b: the job has no steps; add a step with `Workflow::step`, or remove the job\n"
    );
}

#[test]
fn a_role_assumed_without_id_token_write_is_an_error() {
    let (mut wf, job) = base();
    wf.step(job, configure_aws_credentials(ROLE, "us-east-1"));
    assert_eq!(
        errors(&wf),
        [
            "ci/build: the job assumes an AWS role through OIDC but its permissions lack `id-token: write`, so configure-aws-credentials cannot get a token; add `.id_token(IdToken::Write)` to the job's permissions"
        ]
    );
}

#[test]
fn id_token_write_without_a_role_is_an_error_when_every_step_is_known() {
    let mut wf = Workflow::new("ci", "CI");
    wf.on_push(Push::new());
    let job = wf.job("build", Job::new(RunsOn::ubuntu_latest(), oidc()));
    wf.step(job, checkout());
    wf.step(job, Step::run("make"));
    assert_eq!(
        errors(&wf),
        [
            "ci/build: the job has `id-token: write` but assumes no AWS role; remove `id_token` from the job's permissions, so the job cannot mint OIDC tokens it does not use"
        ]
    );
}

#[test]
fn id_token_write_without_a_role_is_a_warning_when_an_action_may_request_a_token() {
    let mut wf = Workflow::new("ci", "CI");
    wf.on_push(Push::new());
    let job = wf.job("build", Job::new(RunsOn::ubuntu_latest(), oidc()));
    wf.step(job, Step::uses(ActionRef::new("actions/attest-build-provenance", "v2")));
    assert_eq!(errors(&wf), Vec::<String>::new());
    assert_eq!(
        warnings(&wf)[0],
        "ci/build: the job has `id-token: write` but assumes no AWS role; keep it only if one of its actions requests an OIDC token; remove `id_token` from the job's permissions, so the job cannot mint OIDC tokens it does not use"
    );
    let mut wf2 = Workflow::new("ci", "CI");
    wf2.on_push(Push::new());
    let job = wf2.job("build", Job::new(RunsOn::ubuntu_latest(), oidc()));
    wf2.step(job, Step::run("curl -H \"Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN\" \"$ACTIONS_ID_TOKEN_REQUEST_URL\""));
    assert_eq!(errors(&wf2), Vec::<String>::new());
    assert_eq!(wf2.check().warnings[0].code, "github.id-token");
}

#[test]
fn an_invalid_cron_is_an_error_naming_the_field() {
    let cases = [
        (
            "0 5 * *",
            "the schedule `0 5 * *` has 4 fields where cron takes 5 (minute, hour, day of the month, month, day of the week)",
        ),
        (
            "60 * * * *",
            "the schedule `60 * * * *` has minute `60`: `60` is not a number from 0 to 59",
        ),
        (
            "0 24 * * *",
            "the schedule `0 24 * * *` has hour `24`: `24` is not a number from 0 to 23",
        ),
        (
            "0 0 0 * *",
            "the schedule `0 0 0 * *` has day of the month `0`: `0` is not a number from 1 to 31",
        ),
        (
            "0 0 * 13 *",
            "the schedule `0 0 * 13 *` has month `13`: `13` is not a number from 1 to 12",
        ),
        (
            "0 0 * * 7",
            "the schedule `0 0 * * 7` has day of the week `7`: `7` is not a number from 0 to 6",
        ),
        (
            "*/0 * * * *",
            "the schedule `*/0 * * * *` has minute `*/0`: step `0` is not a number from 1 to 59",
        ),
        (
            "0 0 * * FRI-MON",
            "the schedule `0 0 * * FRI-MON` has day of the week `FRI-MON`: range `FRI-MON` ends before it starts",
        ),
        (
            "@daily",
            "the schedule `@daily` has 1 field where cron takes 5 (minute, hour, day of the month, month, day of the week)",
        ),
    ];
    for (cron, message) in cases {
        let (mut wf, _) = base();
        wf.on_schedule(cron);
        assert_eq!(
            errors(&wf),
            [format!(
                "ci: {message}; write five fields: minute (0-59), hour (0-23), day of the month (1-31), month (1-12 or JAN-DEC), day of the week (0-6 or SUN-SAT)"
            )],
            "{cron}"
        );
    }
    let (mut wf, _) = base();
    wf.on_schedule("30 5 * JAN-MAR MON-FRI").on_schedule("*/15 0-6 1,15 * *");
    assert_eq!(errors(&wf), Vec::<String>::new());
}

#[test]
fn duplicate_job_and_step_ids_are_errors() {
    let (mut wf, job) = base();
    let other = wf.job("build", Job::new(RunsOn::ubuntu_latest(), read()));
    wf.step(other, Step::run("make"));
    wf.step(job, Step::run("a").id("same"));
    wf.step(job, Step::run("b").id("same"));
    assert_eq!(
        errors(&wf),
        [
            "ci/build/same: the step id `same` is used by two steps of the job; give each step its own id",
            "ci/build: the job id `build` is used by two jobs; give each job its own id",
        ]
    );
}

#[test]
fn invalid_step_ids_are_errors() {
    let (mut wf, job) = base();
    wf.step(job, Step::run("a").id("1st"));
    assert_eq!(
        errors(&wf),
        [
            "ci/build/1st: the step id `1st` is not valid; start with a letter or `_` and use letters, digits, `-` and `_`"
        ]
    );
}

#[test]
fn a_step_output_read_by_id_needs_an_earlier_step_with_that_id() {
    let (mut wf, job) = base();
    wf.step(job, Step::run("echo \"$R\"").env("R", Expr::step_output_by_id("login", "registry")));
    wf.step(job, Step::uses(ActionRef::new("aws-actions/amazon-ecr-login", "v2")).name("login"));
    assert_eq!(
        errors(&wf),
        [
            "ci/build/step 2: `steps.login.outputs.registry` is read but no earlier step of the job has the id `login`; give the step `.id(\"login\")` and read its output through the handle `Workflow::step` returns"
        ]
    );
}

#[test]
fn a_step_output_is_read_only_by_later_steps_of_its_job() {
    let mut wf = Workflow::new("ci", "CI");
    wf.on_push(Push::new());
    let build = wf.job("build", Job::new(RunsOn::ubuntu_latest(), oidc()));
    wf.step(build, configure_aws_credentials(ROLE, "us-east-1"));
    let login = wf.step(build, ecr_login().id("login"));
    let deploy = wf.job("deploy", Job::new(RunsOn::ubuntu_latest(), read()).needs(build));
    wf.step(deploy, Step::run("echo \"$R\"").env("R", login.registry()));
    assert_eq!(
        errors(&wf),
        [
            "ci/deploy/step 1: `steps.login.outputs.registry` is read outside job `build`, where only that job's steps can read it; declare a job output of `build` with `Workflow::job_output` and read it through the job's handle from a job that needs it"
        ]
    );
}

#[test]
fn a_step_cannot_read_its_own_output_nor_a_job_read_step_outputs_outside_its_outputs() {
    let (mut wf, job) = base();
    wf.step(job, Step::run("true").id("me").env("X", Expr::step_output_by_id("me", "x")));
    assert_eq!(
        errors(&wf),
        [
            "ci/build/me: `steps.me.outputs.x` is read but no earlier step of the job has the id `me`; give the step `.id(\"me\")` and read its output through the handle `Workflow::step` returns"
        ]
    );

    let mut wf = Workflow::new("ci", "CI");
    wf.on_push(Push::new());
    let build = wf.job("build", Job::new(RunsOn::ubuntu_latest(), read()));
    let producer = wf.step(build, Step::run("echo ok=yes >> \"$GITHUB_OUTPUT\"").id("producer"));
    wf.job_output(build, "ok", producer.output("ok"));
    assert_eq!(errors(&wf), Vec::<String>::new());
    let leaked = Job::new(RunsOn::ubuntu_latest(), read()).env("OK", producer.output("ok"));
    let other = wf.job("other", leaked);
    wf.step(other, Step::run("true"));
    assert_eq!(
        errors(&wf),
        [
            "ci/other: `steps.producer.outputs.ok` is read outside job `build`, where only that job's steps can read it; declare a job output of `build` with `Workflow::job_output` and read it through the job's handle from a job that needs it"
        ]
    );
}

#[test]
fn a_step_output_read_at_the_job_level_is_an_error() {
    let mut wf = Workflow::new("ci", "CI");
    wf.on_push(Push::new());
    let build = wf.job("build", Job::new(RunsOn::ubuntu_latest(), read()));
    let producer = wf.step(build, Step::run("true").id("producer"));
    let mut clone = wf.clone();
    clone.job_output(build, "ok", producer.output("ok"));
    assert_eq!(errors(&clone), Vec::<String>::new());
    // The job-level `if` runs before any step.
    let mut wf2 = Workflow::new("ci", "CI");
    wf2.on_push(Push::new());
    let job = wf2.job(
        "build",
        Job::new(RunsOn::ubuntu_latest(), read())
            .if_(Expr::step_output_by_id("producer", "ok").eq("yes")),
    );
    wf2.step(job, Step::run("true").id("producer"));
    assert_eq!(
        errors(&wf2),
        [
            "ci/build: `steps.producer.outputs.ok` is read but no earlier step of the job has the id `producer`; give the step `.id(\"producer\")` and read its output through the handle `Workflow::step` returns"
        ]
    );
}

#[test]
fn a_later_step_reading_an_earlier_step_by_handle_is_fine_and_the_reverse_is_not() {
    let mut wf = Workflow::new("ci", "CI");
    wf.on_push(Push::new());
    let build = wf.job("build", Job::new(RunsOn::ubuntu_latest(), read()));
    let first = wf.step(build, Step::run("true").id("first"));
    wf.step(build, Step::run("true").if_(first.output("ok").eq("yes")));
    assert_eq!(errors(&wf), Vec::<String>::new());
}

#[test]
fn a_job_output_is_read_only_by_jobs_that_need_the_job_and_must_be_declared() {
    let (mut wf, build) = base();
    let step = wf.step(build, Step::run("echo tag=1 >> \"$GITHUB_OUTPUT\"").id("tag"));
    wf.job_output(build, "tag", step.output("tag"));
    let a = wf.job("a", Job::new(RunsOn::ubuntu_latest(), read()));
    wf.step(a, Step::run("echo \"$T\"").env("T", build.output("tag")));
    let b = wf.job("b", Job::new(RunsOn::ubuntu_latest(), read()).needs(build));
    wf.step(b, Step::run("echo \"$T\"").env("T", build.output("version")));
    let c = wf.job("c", Job::new(RunsOn::ubuntu_latest(), read()).needs(build));
    wf.step(c, Step::run("echo \"$T\"").env("T", build.output("tag")));
    assert_eq!(
        errors(&wf),
        [
            "ci/a/step 1: `needs.build.outputs.tag` is read by a job that does not need `build`; add `.needs(build)` to the reading job",
            "ci/b/step 1: `needs.build.outputs.version` is read but job `build` declares no output `version`; declare it with `Workflow::job_output` on `build`",
        ]
    );
}

#[test]
fn a_needs_cycle_is_an_error_listing_the_cycle() {
    let (mut wf, build) = base();
    let test = wf.job("test", Job::new(RunsOn::ubuntu_latest(), read()).needs(build));
    wf.step(test, Step::run("make test"));
    let deploy = wf.job("deploy", Job::new(RunsOn::ubuntu_latest(), read()).needs(test));
    wf.step(deploy, Step::run("make deploy"));
    wf.add_needs(build, deploy);
    assert_eq!(
        errors(&wf),
        [
            "ci/build: the jobs need each other in a cycle: build -> deploy -> test -> build; remove one of the `needs` so that the jobs run in an order"
        ]
    );
}

#[test]
fn a_job_of_another_workflow_is_an_error() {
    let (mut other, other_job) = base();
    other.job_output(other_job, "x", "y");
    let (mut wf, _) = base();
    let deploy = wf.job("deploy", Job::new(RunsOn::ubuntu_latest(), read()).needs(other_job));
    wf.step(deploy, Step::run("make"));
    wf.step(other_job, Step::run("lost"));
    assert_eq!(
        errors(&wf),
        [
            "ci: the `needs` of job `deploy` was given a job of another workflow; use the handle returned by this workflow's `job`; jobs of different workflows cannot depend on each other",
            "ci: a step was given a job of another workflow; use the handle returned by this workflow's `job`; jobs of different workflows cannot depend on each other",
        ]
    );
}

#[test]
fn a_job_without_steps_is_an_error() {
    let (mut wf, _) = base();
    wf.job("empty", Job::new(RunsOn::ubuntu_latest(), read()));
    assert_eq!(
        errors(&wf),
        ["ci/empty: the job has no steps; add a step with `Workflow::step`, or remove the job"]
    );
}

#[test]
fn an_aws_key_in_a_literal_is_refused_wherever_it_is() {
    let key = "AKIAIOSFODNN7EXAMPLE";
    let (mut wf, job) = base();
    wf.env("KEY_ID", key);
    wf.step(job, Step::run(format!("aws configure set aws_access_key_id {key}")));
    wf.step(job, Step::uses(ActionRef::new("some/action", "v1")).with("creds", key));
    let fix = "never put keys in a workflow: assume a role with configure-aws-credentials, or read a secret through `Expr::secret`";
    assert_eq!(
        errors(&wf),
        [
            format!(
                "ci: the environment variable `KEY_ID` holds what looks like an AWS access key id; {fix}"
            ),
            format!(
                "ci/build/step 2: the script holds what looks like an AWS access key id; {fix}"
            ),
            format!(
                "ci/build/step 3: the input `creds` holds what looks like an AWS access key id; {fix}"
            ),
        ]
    );
}

#[test]
fn a_secret_named_variable_with_literal_text_is_refused_and_a_secret_expression_is_not() {
    let (mut wf, job) = base();
    wf.step(
        job,
        Step::run("deploy")
            .env("API_TOKEN", "hunter2")
            .env("DB_PASSWORD", Expr::secret("DB_PASSWORD")),
    );
    assert_eq!(
        errors(&wf),
        [
            "ci/build/step 2: the environment variable `API_TOKEN` is named like a secret but holds literal text; store the value as a secret and pass `Expr::secret(\"API_TOKEN\")`"
        ]
    );
}

#[test]
fn a_container_password_must_come_from_a_secret() {
    let mut wf = Workflow::new("ci", "CI");
    wf.on_push(Push::new());
    let job = wf.job(
        "build",
        Job::new(RunsOn::ubuntu_latest(), read())
            .container(Container::new("ghcr.io/o/img:1").credentials("me", Expr::str("pw"))),
    );
    wf.step(job, Step::run("make"));
    assert_eq!(
        errors(&wf),
        [
            "ci/build: a container registry password is not read from a secret; pass `Expr::secret(\"NAME\")` and store the password as a repository secret"
        ]
    );
}

#[test]
fn a_container_image_without_a_version_is_an_error() {
    let mut wf = Workflow::new("ci", "CI");
    wf.on_push(Push::new());
    let job = wf.job(
        "build",
        Job::new(RunsOn::ubuntu_latest(), read())
            .container(Container::new("localhost:5000/builder"))
            .service("db", Container::new("postgres:latest"))
            .service("cache", Container::new("redis@sha256:0123"))
            .service("mq", Container::new("rabbitmq:3")),
    );
    wf.step(job, Step::run("make"));
    assert_eq!(
        errors(&wf),
        [
            "ci/build: the container image `localhost:5000/builder` names no version, so each run may pull a different image; give a version tag (`postgres:16`) or a digest (`@sha256:...`)",
            "ci/build: the container image `postgres:latest` names no version, so each run may pull a different image; give a version tag (`postgres:16`) or a digest (`@sha256:...`)",
        ]
    );
}

#[test]
fn an_expression_in_a_script_is_refused() {
    let (mut wf, job) = base();
    wf.step(job, Step::run(Text::from("git tag ").push(Expr::github("event.head_commit.message"))));
    wf.step(job, Step::run("echo \"$SHA\"").env("SHA", Expr::github_sha()));
    assert_eq!(
        errors(&wf),
        [
            "ci/build/step 2: the script holds an expression, which GitHub pastes into the script's code before the shell reads it; set the value as an environment variable of the step (`.env(\"NAME\", expr)`) and read `\"$NAME\"` in the script"
        ]
    );
}

#[test]
fn literal_text_holding_an_expression_opener_is_refused() {
    let (mut wf, job) = base();
    wf.step(job, Step::run("echo ${{ github.sha }}"));
    assert_eq!(
        errors(&wf),
        [
            "ci/build/step 2: literal text holds `${{`, which GitHub would evaluate as an expression; build the expression with `Expr` and put it in the text with `Text::push`"
        ]
    );
}

#[test]
fn unpinned_and_superseded_actions_are_warnings() {
    let (mut wf, job) = base();
    wf.step(job, checkout().tag("v2"));
    assert_eq!(
        warnings(&wf),
        [
            "ci/build/step 2: `actions/checkout@v2` is not pinned to a commit; whoever controls the tag controls what runs; pin it with `.pin(\"<commit sha of v2>\")`",
            "ci/build/step 2: `actions/checkout@v2` runs on a Node.js version GitHub's runners no longer ship; use `actions/checkout@v4`",
        ]
    );
    assert_eq!(errors(&wf), Vec::<String>::new());
}

#[test]
fn a_pin_that_is_not_a_commit_sha_is_an_error() {
    let (mut wf, job) = base();
    wf.step(job, checkout().pin("v4.2.2"));
    assert_eq!(
        errors(&wf),
        [
            "ci/build/step 2: `actions/checkout` is pinned to `v4.2.2`, which is not a full commit SHA; pin to the 40 lower-case hex digits of the commit the tag points at"
        ]
    );
}

#[test]
fn credentials_inputs_are_checked() {
    let mut wf = Workflow::new("ci", "CI");
    wf.on_push(Push::new());
    let job = wf.job("deploy", Job::new(RunsOn::ubuntu_latest(), oidc()));
    wf.step(job, configure_aws_credentials("arn:aws:iam::123456789012:user/me", "us-east-1"));
    wf.step(job, configure_aws_credentials(ROLE, "US East").role_duration_seconds(60));
    assert_eq!(
        errors(&wf),
        [
            "ci/deploy/step 1: `arn:aws:iam::123456789012:user/me` is not the ARN of an IAM role; give `arn:aws:iam::<account id>:role/<name>`, or the role's ARN from its stack",
            "ci/deploy/step 2: `US East` is not an AWS region; give a region code such as `us-east-1`",
            "ci/deploy/step 2: a role session of 60 seconds is outside the 900 to 43200 STS allows; give between 900 (15 minutes) and 43200 (12 hours) seconds",
        ]
    );
}

#[test]
fn a_filter_and_its_ignore_form_on_one_event_are_an_error() {
    let (mut wf, _) = base();
    wf.on_push(Push::new().branches(["main"]).branches_ignore(["wip/**"]));
    wf.on_pull_request(PullRequest::new().paths(["src/**"]).paths_ignore(["docs/**"]));
    assert_eq!(
        errors(&wf),
        [
            "ci: the push trigger has both `branches` and `branches-ignore`, which GitHub refuses; keep one: negate patterns with `!` inside `branches` to exclude",
            "ci: the pull_request trigger has both `paths` and `paths-ignore`, which GitHub refuses; keep one: negate patterns with `!` inside `paths` to exclude",
        ]
    );
}

#[test]
fn inputs_must_be_declared_and_choices_consistent() {
    let (mut wf, job) = base();
    wf.on_dispatch(
        Dispatch::new()
            .input("stage", Input::choice("Where to deploy", ["beta", "prod"]).default_str("gamma"))
            .input("empty", Input::choice("Nothing", Vec::<String>::new()))
            .input("stage", Input::string("again")),
    );
    wf.step(job, Step::run("deploy").env("STAGE", Expr::input("stag")));
    assert_eq!(
        errors(&wf),
        [
            "ci: the default `gamma` of the choice input `stage` is not one of its options; make the default one of the options",
            "ci: the choice input `empty` has no options; list the options it offers",
            "ci: the dispatch input `stage` is declared twice; give each input its own name",
            "ci/build/step 2: `inputs.stag` is read but the workflow declares no such input; declare it: `on_dispatch(Dispatch::new().input(\"stag\", ...))`",
        ]
    );
}

#[test]
fn matrix_keys_must_exist() {
    let (mut wf, _) = base();
    let job = wf.job(
        "test",
        Job::new(RunsOn::from(Expr::matrix("os")), read())
            .strategy(Strategy::new(Matrix::new().axis("os", ["ubuntu-latest", "macos-latest"]))),
    );
    wf.step(job, Step::run("make").env("V", Expr::matrix("version")));
    let (_, build) = (0, wf.job("lint", Job::new(RunsOn::ubuntu_latest(), read())));
    wf.step(build, Step::run("make").env("OS", Expr::matrix("os")));
    assert_eq!(
        errors(&wf),
        [
            "ci/test/step 1: `matrix.version` is read but the job's matrix has no key `version`; add an axis `version` to the matrix, or read one it has",
            "ci/lint/step 1: `matrix.os` is read outside a job with a matrix; give the job a `Strategy` with a matrix",
        ]
    );
}

#[test]
fn environment_variable_names_are_checked() {
    let (mut wf, job) = base();
    wf.step(job, Step::run("make").env("MY-VAR", "x").env("GITHUB_SHA", "y"));
    assert_eq!(
        errors(&wf),
        [
            "ci/build/step 2: `MY-VAR` is not a valid environment variable name; start with a letter or `_` and use letters, digits and `_`",
            "ci/build/step 2: `GITHUB_SHA` starts with `GITHUB_`, which the runner reserves; choose a name without the `GITHUB_` prefix",
        ]
    );
}

#[test]
fn zero_timeouts_and_odd_names_are_errors() {
    let mut wf = Workflow::new("../ci", "CI");
    wf.on_push(Push::new());
    let job = wf.job("build", Job::new(RunsOn::ubuntu_latest(), read()).timeout_minutes(0));
    wf.step(job, Step::run("make").timeout_minutes(0));
    wf.step(job, Step::run("make").env("X", Expr::github("event.head commit")));
    assert_eq!(
        errors(&wf),
        [
            "../ci: the file name `../ci` is not a plain file name; use letters, digits, `-`, `_` and `.`, not starting with `.`",
            "../ci/build: the job's timeout is 0 minutes; give at least one minute",
            "../ci/build/step 1: the step's timeout is 0 minutes; give at least one minute",
            "../ci/build/step 2: `github.event.head commit` is not a property name an expression can read; use letters, digits, `_` and `-`, with `.` between properties",
        ]
    );
}

#[test]
fn a_workflow_without_jobs_is_an_error() {
    let mut wf = Workflow::new("ci", "CI");
    wf.on_push(Push::new());
    assert_eq!(errors(&wf), ["ci: the workflow has no jobs; add a job with `Workflow::job`"]);
    let _ = Text::new();
    assert_eq!(codes(&wf), ["github.no-jobs"]);
}
