//! The article's SAM canary ("Deploying Lambda with SAM") as plain CloudFormation, without
//! the transform: the function, a version and the alias `live`, and a CodeDeploy deployment
//! group that shifts the alias to a new version as a 10 percent canary for 5 minutes, rolled
//! back by an error alarm and checked by pre- and post-traffic hook functions. Compare with
//! `examples/sam-canary`, where SAM writes these resources.
//!
//! CloudFormation publishes a new version only when the `AWS::Lambda::Version` changes. The
//! function's current version carries a digest of its configuration, so any change to the
//! function publishes one; the package comes from parameters, so the build passes its
//! SHA-256 (base64) too, and a new package publishes a new version as well. The alias update
//! is then a CodeDeploy deployment.

use stackwright::cloudwatch::Alarm;
use stackwright::codedeploy::{
    LambdaDeploymentConfig, LambdaDeploymentGroup, LambdaDeploymentGroupProps,
};
use stackwright::lambda::{
    Alias, AliasProps, Code, Function, FunctionProps, Runtime, VersionProps,
};
use stackwright::prelude::*;
use stackwright::rules;

/// A hook reports its verdict to CodeDeploy; checks of the new version go before the call,
/// and `Failed` instead of `Succeeded` rolls the deployment back.
const HOOK_SOURCE: &str = "\
const { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } = require('@aws-sdk/client-codedeploy');
const codedeploy = new CodeDeployClient();

exports.handler = async (event) => {
  await codedeploy.send(new PutLifecycleEventHookExecutionStatusCommand({
    deploymentId: event.DeploymentId,
    lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
    status: 'Succeeded',
  }));
};
";

/// The SAM example's `Globals`, set on each function.
fn props(handler: &str, code: Code) -> FunctionProps {
    FunctionProps::new(Runtime::Nodejs24X, handler, code)
        .timeout(Duration::seconds(30))
        .memory_mb(256)
}

fn hook(s: &mut Scope<'_>, id: &str, what: &str) -> Function {
    Function::new(s, id, props("index.handler", Code::inline(HOOK_SOURCE)).description(what))
}

/// Builds the app.
pub fn app() -> App {
    let mut app = App::new();
    app.add_rule_pack(stackwright::rules::PACK);
    let mut s = app.stack("LambdaCanary");
    s.set_description("A Lambda function rolled out by CodeDeploy as a canary, without SAM");
    let bucket = s.add_parameter(
        "CodeBucket",
        Parameter::string().description("S3 bucket holding the function's package"),
    );
    let key = s.add_parameter(
        "CodeKey",
        Parameter::string().description("S3 key of the function's package (.zip)"),
    );
    let sha = s.add_parameter(
        "CodeSha256",
        Parameter::string()
            .description("SHA-256 of the package, base64: a new value publishes a new version")
            .allowed_pattern("^[A-Za-z0-9+/]{43}=$")
            .constraint_description("must be a base64 SHA-256 digest"),
    );

    let function =
        Function::new(&mut s, "MyFunction", props("index.handler", Code::s3(bucket, key.value())));
    let version = function.current_version(&mut s, VersionProps::new().code_sha256(sha.value()));
    let alias = Alias::new(&mut s, "MyFunctionAliaslive", AliasProps::new("live", &version));
    let alarm = Alarm::lambda_errors(&mut s, "MyFunctionErrorAlarm", function.function_name());
    let pre = hook(
        &mut s,
        "PreTrafficHook",
        "Checks a new version of MyFunction before traffic shifts to it",
    );
    let post = hook(&mut s, "PostTrafficHook", "Checks MyFunction after traffic has shifted");

    let group = LambdaDeploymentGroup::new(
        &mut s,
        "MyFunctionDeploymentGroup",
        LambdaDeploymentGroupProps::new(&alias, LambdaDeploymentConfig::Canary10Percent5Minutes)
            .alarm(&alarm)
            .pre_traffic_hook(&pre)
            .post_traffic_hook(&post),
    );
    // Each function: CodeDeploy and the alias's callers invoke it synchronously and see its
    // failures, it reaches nothing private, and the account's concurrency bounds it.
    for function in [function.node(), pre.node(), post.node()] {
        for (rule, reason) in [
            (&rules::LAMBDA_DLQ, "invoked synchronously only: the caller sees each failure"),
            (&rules::LAMBDA_IN_VPC, "reaches no private resource, so it needs no VPC"),
            (&rules::LAMBDA_CONCURRENCY, "the account's concurrency limit is the bound wanted"),
        ] {
            s.suppress(function, Suppression::new(rule, reason));
        }
    }
    for log_owner in [function.node(), pre.node(), post.node()] {
        s.suppress(
            log_owner,
            Suppression::new(
                &rules::LOGS_KMS,
                "CloudWatch Logs encrypts the log data at rest; the logs hold build and service \
             output, no customer data",
            ),
        );
    }
    group.grant_hook_status(&mut s, &pre);
    group.grant_hook_status(&mut s, &post);
    s.add_output("AliasArn", Output::new(alias.arn()));
    app
}
