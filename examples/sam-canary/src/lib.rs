//! The article's SAM template ("Deploying Lambda with SAM"): `Globals` for every function,
//! and `MyFunction` published under the alias `live` and rolled out by CodeDeploy as a
//! 10 percent canary for 5 minutes, rolled back by an error alarm and checked by pre- and
//! post-traffic hook functions. The article's `nodejs18.x` is deprecated; this uses
//! `nodejs24.x`. Compare with `examples/lambda-canary`, the same rollout without SAM.

use stackwright::aws::serverless::Globals;
use stackwright::aws::serverless::globals::GlobalsFunction;
use stackwright::cloudwatch::Alarm;
use stackwright::codedeploy::LambdaDeploymentConfig;
use stackwright::prelude::*;
use stackwright::rules;
use stackwright::sam::{Code, DeploymentPreference, Function, FunctionProps};

/// The runtime in `Globals`: the article's `nodejs18.x` is deprecated, its successor is not.
pub const RUNTIME: &str = "nodejs24.x";

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

/// A traffic hook: inline code, granted leave to report its verdict once the function it
/// checks exists. SAM's CodeDeploy role may invoke only functions named `CodeDeployHook_*`,
/// so the hook is named so.
fn hook(s: &mut Scope<'_>, id: &str, what: &str) -> Function {
    let props = FunctionProps::new(None, "index.handler", Code::inline(HOOK_SOURCE))
        .description(what)
        .function_name(sub!("CodeDeployHook_{}-{}", pseudo::stack_name(), id));
    Function::new(s, id, props)
}

/// Builds the app.
pub fn app() -> App {
    let mut app = App::new();
    app.add_rule_pack(stackwright::rules::PACK);
    let mut s = app.stack("SamCanary");
    s.set_description("A Lambda function rolled out by CodeDeploy as a canary, with SAM");
    s.set_globals(
        Globals::new()
            .function(GlobalsFunction::new().timeout(30).runtime(RUNTIME).memory_size(256)),
    );

    let pre = hook(
        &mut s,
        "PreTrafficHook",
        "Checks a new version of MyFunction before traffic shifts to it",
    );
    let post = hook(&mut s, "PostTrafficHook", "Checks MyFunction after traffic has shifted");

    let pref = DeploymentPreference::new(LambdaDeploymentConfig::Canary10Percent5Minutes)
        .pre_traffic_hook(&pre)
        .post_traffic_hook(&post);
    let function = Function::new(
        &mut s,
        "MyFunction",
        FunctionProps::new(None, "index.handler", Code::local("src/"))
            .auto_publish_alias("live")
            .deployment(pref),
    );
    // The alarm watches the function it guards, so it comes after it.
    let alarm = Alarm::lambda_errors(&mut s, "MyFunctionErrorAlarm", function.function_name());
    function.add_deployment_alarm(&mut s, &alarm);
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
    function.grant_hook_status(&mut s, &pre);
    function.grant_hook_status(&mut s, &post);
    app
}
