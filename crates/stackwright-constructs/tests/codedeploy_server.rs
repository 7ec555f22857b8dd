//! CodeDeploy to EC2 and on-premises instances: in-place and blue/green deployment groups,
//! minimum-healthy-hosts configurations, the EC2 `appspec.yml`, the pipeline's CodeDeploy
//! action with its grants, and every check.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::{Value, json};
use stackwright_constructs::Duration;
use stackwright_constructs::autoscaling::{AutoScalingGroup, AutoScalingGroupProps};
use stackwright_constructs::cloudwatch::{Alarm, AlarmProps, ComparisonOperator, Metric};
use stackwright_constructs::codedeploy::{
    AppSpecFile, FileExistsBehavior, MinimumHealthyHosts, Permission, PermissionType, ReadyOption,
    Script, ServerAppSpec, ServerBlueGreen, ServerDeploymentConfig, ServerDeploymentGroup,
    ServerDeploymentGroupProps, ServerHook, ServerOs,
};
use stackwright_constructs::codepipeline::{
    Artifact, CodeDeployServerDeploy, Pipeline, PipelineProps, S3Source,
};
use stackwright_constructs::ec2::{Vpc, VpcProps};
use stackwright_constructs::elbv2::{TargetGroup, TargetGroupProps, TargetType};
use stackwright_core::{App, Format, Scope};

/// A stack with a VPC, a target group of instances and an Auto Scaling group (2 to
/// `max` instances, with the agent) registered into it; `build` adds the rest.
fn app_with(max: u32, build: impl FnOnce(&mut Scope<'_>, &AutoScalingGroup, &TargetGroup)) -> App {
    let mut app = App::new();
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2));
    let targets = TargetGroup::new(
        &mut s,
        "Targets",
        TargetGroupProps::new(&vpc, 8080).target_type(TargetType::Instance),
    );
    let fleet = AutoScalingGroup::new(
        &mut s,
        "Fleet",
        AutoScalingGroupProps::new(&vpc, "t3.micro")
            .min_capacity(2.min(max))
            .max_capacity(max)
            .code_deploy_agent(true)
            .target_group(&targets),
    );
    build(&mut s, &fleet, &targets);
    app
}

fn group_app(
    max: u32,
    props: impl FnOnce(ServerDeploymentGroupProps) -> ServerDeploymentGroupProps,
) -> App {
    app_with(max, |s, fleet, targets| {
        let base =
            ServerDeploymentGroupProps::new().auto_scaling_group(fleet).load_balancer(targets);
        ServerDeploymentGroup::new(s, "Deploy", props(base));
    })
}

fn props<'a>(t: &'a Value, id: &str) -> &'a Value {
    let r = &t["Resources"][id];
    assert!(r.is_object(), "no resource {id} in {t:#}");
    &r["Properties"]
}

fn warnings(app: &App) -> Vec<String> {
    match app.synth(Format::Json) {
        Ok(a) => a.warnings().iter().map(ToString::to_string).collect(),
        Err(d) => panic!("synthesis failed:\n{d}"),
    }
}

#[test]
fn an_in_place_group_rolls_one_instance_at_a_time_out_of_the_load_balancer() {
    let app = app_with(4, |s, fleet, targets| {
        let alarm = Alarm::new(
            s,
            "Errors",
            AlarmProps::new(
                Metric::new("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"),
                ComparisonOperator::GreaterThanThreshold,
                5.0,
            ),
        );
        ServerDeploymentGroup::new(
            s,
            "Deploy",
            ServerDeploymentGroupProps::new()
                .auto_scaling_group(fleet)
                .load_balancer(targets)
                .alarm(&alarm),
        );
    });
    let t = template(&app, "S");
    assert_eq!(props(&t, "DeployApplication"), &json!({ "ComputePlatform": "Server" }));
    assert_eq!(
        props(&t, "Deploy"),
        &json!({
            "AlarmConfiguration": { "Alarms": [{ "Name": { "Ref": "Errors" } }], "Enabled": true },
            "ApplicationName": { "Ref": "DeployApplication" },
            "AutoRollbackConfiguration": {
                "Enabled": true,
                "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
            },
            "AutoScalingGroups": [{ "Ref": "Fleet" }],
            "DeploymentConfigName": "CodeDeployDefault.OneAtATime",
            "DeploymentStyle": {
                "DeploymentOption": "WITH_TRAFFIC_CONTROL",
                "DeploymentType": "IN_PLACE"
            },
            "LoadBalancerInfo": {
                "TargetGroupInfoList": [{ "Name": { "Fn::GetAtt": ["Targets", "TargetGroupName"] } }]
            },
            "ServiceRoleArn": { "Fn::GetAtt": ["DeployServiceRole", "Arn"] }
        })
    );
    // CodeDeploy's calls name instances and group copies found at run time: the managed
    // policy, and nothing of the group's own for an in-place deployment.
    assert_eq!(
        props(&t, "DeployServiceRole")["ManagedPolicyArns"],
        json!([{ "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRole" }])
    );
    assert!(t["Resources"]["DeployServiceRoleDefaultPolicy"].is_null());
    assert!(warnings(&app).is_empty(), "{:?}", warnings(&app));
}

#[test]
fn tag_filters_target_ec2_and_on_premises_instances_without_a_load_balancer() {
    let mut app = App::new();
    let mut s = app.stack("S");
    ServerDeploymentGroup::new(
        &mut s,
        "Deploy",
        ServerDeploymentGroupProps::new()
            .ec2_tag("app", "web")
            .ec2_tag("fleet", "")
            .on_premises_tag("", "rack-7")
            .deployment_config(ServerDeploymentConfig::HalfAtATime),
    );
    let t = template(&app, "S");
    let g = props(&t, "Deploy");
    assert_eq!(
        g["Ec2TagFilters"],
        json!([
            { "Key": "app", "Type": "KEY_AND_VALUE", "Value": "web" },
            { "Key": "fleet", "Type": "KEY_ONLY" }
        ])
    );
    assert_eq!(
        g["OnPremisesInstanceTagFilters"],
        json!([{ "Type": "VALUE_ONLY", "Value": "rack-7" }])
    );
    assert_eq!(
        g["DeploymentStyle"],
        json!({ "DeploymentOption": "WITHOUT_TRAFFIC_CONTROL", "DeploymentType": "IN_PLACE" })
    );
    assert_eq!(g["DeploymentConfigName"], json!("CodeDeployDefault.HalfAtATime"));
    assert!(g["AutoScalingGroups"].is_null() && g["LoadBalancerInfo"].is_null());
}

#[test]
fn a_group_with_neither_an_auto_scaling_group_nor_tag_filters_is_an_error() {
    let mut app = App::new();
    let mut s = app.stack("S");
    ServerDeploymentGroup::new(&mut s, "Deploy", ServerDeploymentGroupProps::new());
    assert_eq!(
        errors(&app),
        [
            "S/Deploy: the deployment group has neither an Auto Scaling group nor tag filters, so it deploys to no instance; add .auto_scaling_group(&group), .ec2_tag(key, value) or .on_premises_tag(key, value)"
        ]
    );
    let mut app = App::new();
    let mut s = app.stack("S");
    ServerDeploymentGroup::new(&mut s, "Deploy", ServerDeploymentGroupProps::new().ec2_tag("", ""));
    assert_eq!(
        errors(&app),
        [
            "S/Deploy: a tag filter has neither a key nor a value; give the tag's key, its value, or both"
        ]
    );
}

#[test]
fn blue_green_copies_the_auto_scaling_group_and_may_pass_its_instance_role_only() {
    let app = group_app(4, |p| {
        p.blue_green(
            ServerBlueGreen::new()
                .terminate_blue_after(Duration::minutes(30))
                .ready_option(ReadyOption::StopDeploymentAfter(Duration::minutes(15))),
        )
    });
    let t = template(&app, "S");
    let g = props(&t, "Deploy");
    assert_eq!(
        g["DeploymentStyle"],
        json!({ "DeploymentOption": "WITH_TRAFFIC_CONTROL", "DeploymentType": "BLUE_GREEN" })
    );
    assert_eq!(
        g["BlueGreenDeploymentConfiguration"],
        json!({
            "DeploymentReadyOption": { "ActionOnTimeout": "STOP_DEPLOYMENT", "WaitTimeInMinutes": 15 },
            "GreenFleetProvisioningOption": { "Action": "COPY_AUTO_SCALING_GROUP" },
            "TerminateBlueInstancesOnDeploymentSuccess": {
                "Action": "TERMINATE",
                "TerminationWaitTimeInMinutes": 30
            }
        })
    );
    assert_eq!(
        props(&t, "DeployServiceRoleDefaultPolicy")["PolicyDocument"]["Statement"],
        json!([
            { "Effect": "Allow", "Action": ["ec2:CreateTags", "ec2:RunInstances"], "Resource": "*" },
            {
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": { "Fn::GetAtt": ["FleetInstanceRole", "Arn"] },
                "Condition": { "StringEquals": { "iam:PassedToService": "ec2.amazonaws.com" } }
            }
        ])
    );

    let app = group_app(4, |p| p.blue_green(ServerBlueGreen::new().keep_blue(true)));
    let t = template(&app, "S");
    assert_eq!(
        props(&t, "Deploy")["BlueGreenDeploymentConfiguration"],
        json!({
            "DeploymentReadyOption": { "ActionOnTimeout": "CONTINUE_DEPLOYMENT" },
            "GreenFleetProvisioningOption": { "Action": "COPY_AUTO_SCALING_GROUP" },
            "TerminateBlueInstancesOnDeploymentSuccess": { "Action": "KEEP_ALIVE" }
        })
    );
}

#[test]
fn blue_green_without_a_load_balancer_is_an_error() {
    let app = app_with(4, |s, fleet, _| {
        ServerDeploymentGroup::new(
            s,
            "Deploy",
            ServerDeploymentGroupProps::new()
                .auto_scaling_group(fleet)
                .blue_green(ServerBlueGreen::new()),
        );
    });
    assert_eq!(
        errors(&app),
        [
            "S/Deploy: the blue/green deployment has no load balancer, so traffic cannot move from the original instances to the replacement ones; add .load_balancer(&target_group) with the target group the instances serve from"
        ]
    );
}

#[test]
fn blue_green_needs_an_auto_scaling_group_and_instances_of_ec2_and_a_wait_in_range() {
    let app = app_with(4, |s, _, targets| {
        ServerDeploymentGroup::new(
            s,
            "Deploy",
            ServerDeploymentGroupProps::new()
                .on_premises_tag("app", "web")
                .load_balancer(targets)
                .blue_green(
                    ServerBlueGreen::new()
                        .terminate_blue_after(Duration::days(3))
                        .ready_option(ReadyOption::StopDeploymentAfter(Duration::seconds(30))),
                ),
        );
    });
    assert_eq!(
        errors(&app),
        [
            "S/Deploy: the blue/green deployment provisions the replacement instances by copying an Auto Scaling group, and the deployment group has none; add .auto_scaling_group(&group), or deploy in place",
            "S/Deploy: on-premises instances cannot be deployed to blue/green; deploy them in place, with a deployment group of their own",
            "S/Deploy: terminate_blue_after is 3 days; CodeDeploy waits 0 to 2880 minutes (2 days), in whole minutes",
            "S/Deploy: the deployment would stop after 30 seconds without a go-ahead; CodeDeploy waits whole minutes, at least 1",
        ]
    );
}

#[test]
fn a_minimum_of_healthy_hosts_of_ones_own_is_a_server_deployment_config() {
    let app = group_app(4, |p| {
        p.deployment_config(ServerDeploymentConfig::MinimumHealthy(MinimumHealthyHosts::HostCount(
            3,
        )))
    });
    let t = template(&app, "S");
    assert_eq!(
        props(&t, "DeployDeploymentConfig"),
        &json!({ "ComputePlatform": "Server", "MinimumHealthyHosts": { "Type": "HOST_COUNT", "Value": 3 } })
    );
    assert_eq!(
        props(&t, "Deploy")["DeploymentConfigName"],
        json!({ "Ref": "DeployDeploymentConfig" })
    );

    let app = group_app(4, |p| {
        p.deployment_config(ServerDeploymentConfig::MinimumHealthy(
            MinimumHealthyHosts::FleetPercent(75),
        ))
    });
    let t = template(&app, "S");
    assert_eq!(
        props(&t, "DeployDeploymentConfig")["MinimumHealthyHosts"],
        json!({ "Type": "FLEET_PERCENT", "Value": 75 })
    );
}

#[test]
fn a_minimum_of_healthy_hosts_above_the_groups_size_is_an_error() {
    for n in [4, 9] {
        let app = group_app(4, |p| {
            p.deployment_config(ServerDeploymentConfig::MinimumHealthy(
                MinimumHealthyHosts::HostCount(n),
            ))
        });
        assert_eq!(
            errors(&app),
            [format!(
                "S/Deploy: MinimumHealthyHosts::HostCount({n}) keeps {n} instances healthy, but the Auto Scaling groups the deployment targets run at most 4, so no instance could be deployed to; keep fewer than 4 instances healthy, or use MinimumHealthyHosts::FleetPercent"
            )]
        );
    }
    let app = group_app(4, |p| {
        p.deployment_config(ServerDeploymentConfig::MinimumHealthy(
            MinimumHealthyHosts::FleetPercent(100),
        ))
    });
    assert_eq!(
        errors(&app),
        [
            "S/Deploy: MinimumHealthyHosts::FleetPercent(100) keeps more than the whole fleet healthy, so no instance could be deployed to; CodeDeploy takes 0 to 99 percent"
        ]
    );
    // At most the groups' minimum: a warning, since they may run more.
    let app = group_app(4, |p| {
        p.deployment_config(ServerDeploymentConfig::MinimumHealthy(MinimumHealthyHosts::HostCount(
            2,
        )))
    });
    assert_eq!(
        warnings(&app),
        [
            "S/Deploy: MinimumHealthyHosts::HostCount(2) keeps 2 instances healthy, and the Auto Scaling groups the deployment targets may run as few as 2; a deployment then fails before it starts. Keep fewer than 2 healthy or raise min_capacity"
        ]
    );
    // Instances found by tag are counted only by CodeDeploy: no check.
    let app = group_app(4, |p| {
        p.ec2_tag("app", "web").deployment_config(ServerDeploymentConfig::MinimumHealthy(
            MinimumHealthyHosts::HostCount(9),
        ))
    });
    assert!(errors(&app).is_empty());
}

#[test]
fn a_group_without_the_agent_or_with_ip_targets_is_reported() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2));
    let fleet =
        AutoScalingGroup::new(&mut s, "Fleet", AutoScalingGroupProps::new(&vpc, "t3.micro"));
    let ip = TargetGroup::new(&mut s, "Targets", TargetGroupProps::new(&vpc, 8080));
    ServerDeploymentGroup::new(
        &mut s,
        "Deploy",
        ServerDeploymentGroupProps::new().auto_scaling_group(&fleet).load_balancer(&ip),
    );
    assert_eq!(
        errors(&app),
        [
            "S/Deploy: the load balancer's target group takes IP targets, and CodeDeploy registers instances; create the target group with .target_type(TargetType::Instance)"
        ]
    );
    let mut app = App::new();
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2));
    let fleet =
        AutoScalingGroup::new(&mut s, "Fleet", AutoScalingGroupProps::new(&vpc, "t3.micro"));
    ServerDeploymentGroup::new(
        &mut s,
        "Deploy",
        ServerDeploymentGroupProps::new().auto_scaling_group(&fleet),
    );
    assert_eq!(
        warnings(&app),
        [
            "S/Deploy: the instances of the Auto Scaling group `Fleet` do not install the CodeDeploy agent, which every deployment needs on them; set .code_deploy_agent(true) unless the AMI has it"
        ]
    );
}

fn appspec() -> ServerAppSpec {
    ServerAppSpec::new(ServerOs::Linux)
        .file(AppSpecFile::new("app", "/opt/app"))
        .file(AppSpecFile::new("config/app.conf", "/etc/app"))
        .file_exists_behavior(FileExistsBehavior::Retain)
        .permission(
            Permission::new("/opt/app")
                .pattern("*.sh")
                .owner("app")
                .group("app")
                .mode("0750")
                .only(PermissionType::File),
        )
        .hook(
            ServerHook::ApplicationStart,
            Script::new("scripts/start.sh").timeout(Duration::seconds(60)),
        )
        .hook(ServerHook::BeforeInstall, Script::new("scripts/deps.sh").runas("root"))
        .hook(
            ServerHook::ApplicationStart,
            Script::new("scripts/warm.sh").timeout(Duration::minutes(5)),
        )
        .hook(ServerHook::AfterAllowTraffic, Script::new("scripts/smoke.sh"))
}

#[test]
fn the_appspec_lists_every_section_and_the_hooks_in_the_order_codedeploy_runs_them() {
    assert_eq!(
        appspec().to_yaml(),
        "version: 0.0
os: linux
files:
  - source: app
    destination: /opt/app
  - source: config/app.conf
    destination: /etc/app
file_exists_behavior: RETAIN
permissions:
  - object: /opt/app
    pattern: '*.sh'
    owner: app
    group: app
    mode: '0750'
    type:
      - file
hooks:
  BeforeInstall:
    - location: scripts/deps.sh
      runas: root
  ApplicationStart:
    - location: scripts/start.sh
      timeout: 60
    - location: scripts/warm.sh
      timeout: 300
  AfterAllowTraffic:
    - location: scripts/smoke.sh
"
    );
    let app = group_app(4, |p| p);
    let app = {
        let mut app = app;
        let group = {
            let mut s = app.stack("T");
            ServerDeploymentGroup::new(
                &mut s,
                "Deploy",
                ServerDeploymentGroupProps::new().ec2_tag("app", "web"),
            )
        };
        let mut s = app.stack("T");
        group.add_appspec_file(&mut s, "appspec.yml", &appspec());
        app
    };
    let assembly = match app.synth(Format::Yaml) {
        Ok(a) => a,
        Err(d) => panic!("{d}"),
    };
    let files = assembly.files();
    let written = files.iter().find(|(f, _)| *f == "appspec.yml").map(|(_, b)| *b);
    assert_eq!(written, Some(appspec().to_yaml().as_str()));
    // The traffic hook never runs without a load balancer.
    assert_eq!(
        assembly.warnings().iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "T/Deploy: `appspec.yml` has scripts for the traffic events (BeforeBlockTraffic, AfterBlockTraffic, BeforeAllowTraffic, AfterAllowTraffic), which CodeDeploy runs only for a deployment group with a load balancer"
        ]
    );
}

fn appspec_errors(spec: ServerAppSpec) -> Vec<String> {
    let app = app_with(2, |s, fleet, targets| {
        let group = ServerDeploymentGroup::new(
            s,
            "Deploy",
            ServerDeploymentGroupProps::new().auto_scaling_group(fleet).load_balancer(targets),
        );
        group.add_appspec_file(s, "appspec.yml", &spec);
    });
    errors(&app)
}

#[test]
fn a_hook_of_another_platform_or_of_codedeploy_itself_is_an_error() {
    let hooks = "use one of ApplicationStop, BeforeInstall, AfterInstall, ApplicationStart, ValidateService, BeforeBlockTraffic, AfterBlockTraffic, BeforeAllowTraffic, AfterAllowTraffic";
    for (name, message) in [
        (
            "BeforeAllowTestTraffic",
            "the appspec hook `BeforeAllowTestTraffic` does not exist on the EC2/on-premises platform (it is an ECS hook)",
        ),
        (
            "AfterTraffic",
            "the appspec hook `AfterTraffic` does not exist on the EC2/on-premises platform (it is a Lambda hook)",
        ),
        (
            "Install",
            "the lifecycle event `Install` is run by CodeDeploy itself and takes no scripts",
        ),
        ("BeforeInstal", "`BeforeInstal` is not a lifecycle event of the EC2/on-premises platform"),
    ] {
        let spec = ServerAppSpec::new(ServerOs::Linux)
            .hook(ServerHook::from_name(name), Script::new("scripts/x.sh"));
        assert_eq!(appspec_errors(spec), [format!("S/Deploy: {message}; {hooks}")]);
    }
    assert_eq!(ServerHook::from_name("ValidateService"), ServerHook::ValidateService);
}

#[test]
fn timeouts_paths_modes_and_windows_limits_are_checked_as_codedeploy_checks_them() {
    let spec = ServerAppSpec::new(ServerOs::Linux)
        .file(AppSpecFile::new("", "opt/app"))
        .permission(Permission::new("opt/app").mode("rwx"))
        .hook(ServerHook::BeforeInstall, Script::new(" ").timeout(Duration::seconds(3_601)))
        .hook(ServerHook::AfterInstall, Script::new("a.sh").timeout(Duration::minutes(40)))
        .hook(ServerHook::AfterInstall, Script::new("b.sh").timeout(Duration::minutes(30)));
    assert_eq!(
        appspec_errors(spec),
        [
            "S/Deploy: a file copied to `opt/app` has no source; name it relative to the revision's root, or `/` for all of it",
            "S/Deploy: the destination `opt/app` of `` is not an absolute path; start it with `/`, such as /opt/app",
            "S/Deploy: the permission's object `opt/app` is not an absolute path; name the path on the instance, such as /opt/app",
            "S/Deploy: the mode `rwx` of `opt/app` is not an octal mode; write three or four octal digits, such as 755 or 0644",
            "S/Deploy: a script of BeforeInstall has no location; name the script relative to the revision's root, such as scripts/start.sh",
            "S/Deploy: the script ` ` of BeforeInstall times out after 3601 seconds; CodeDeploy allows 1 to 3600 seconds",
            "S/Deploy: the scripts of AfterInstall may run 4200 seconds together (a script without a timeout counts 3600); give the scripts timeouts that add up to at most 3600 seconds, CodeDeploy's limit for one lifecycle event",
        ]
    );
    let windows = ServerAppSpec::new(ServerOs::Windows)
        .file(AppSpecFile::new("app", "C:\\app"))
        .file(AppSpecFile::new("app", "/app"))
        .permission(Permission::new("C:\\app"))
        .hook(ServerHook::ApplicationStart, Script::new("start.ps1").runas("admin"));
    assert_eq!(
        appspec_errors(windows),
        [
            "S/Deploy: the destination `/app` of `app` is not an absolute path; start it with a drive, such as C:\\app",
            "S/Deploy: the appspec sets permissions on Windows instances; CodeDeploy applies permissions on Linux only; leave them out",
            "S/Deploy: the script `start.ps1` of ApplicationStart runs as another user on Windows; CodeDeploy supports runas on Linux only; leave it out",
        ]
    );
}

#[test]
fn the_deploy_action_may_deploy_to_its_group_only_and_lets_the_instances_read_the_revision() {
    let app = app_with(4, |s, fleet, targets| {
        let group = ServerDeploymentGroup::new(
            s,
            "Deploy",
            ServerDeploymentGroupProps::new()
                .auto_scaling_group(fleet)
                .load_balancer(targets)
                .deployment_config(ServerDeploymentConfig::MinimumHealthy(
                    MinimumHealthyHosts::FleetPercent(50),
                )),
        );
        let revision = Artifact::new("Revision");
        let pipeline = Pipeline::new(s, "Pipeline", PipelineProps::new());
        pipeline.add_stage(
            s,
            "Source",
            [S3Source::new("Source", "bucket", "revision.zip", &revision)],
        );
        pipeline.add_stage(s, "Deploy", [CodeDeployServerDeploy::new("Deploy", &group, &revision)]);
    });
    let t = template(&app, "S");
    let stages = &props(&t, "Pipeline")["Stages"];
    assert_eq!(
        stages[1]["Actions"][0],
        json!({
            "ActionTypeId": { "Category": "Deploy", "Owner": "AWS", "Provider": "CodeDeploy", "Version": "1" },
            "Configuration": {
                "ApplicationName": { "Ref": "DeployApplication" },
                "DeploymentGroupName": { "Ref": "Deploy" }
            },
            "InputArtifacts": [{ "Name": "Revision" }],
            "Name": "Deploy"
        })
    );
    let statements = props(&t, "PipelineRoleDefaultPolicy")["PolicyDocument"]["Statement"].clone();
    let codedeploy: Vec<&Value> = statements
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s.to_string().contains("codedeploy:"))
        .collect();
    assert_eq!(
        codedeploy,
        [
            &json!({
                "Effect": "Allow",
                "Action": ["codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"],
                "Resource": { "Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:application:${DeployApplication}" }
            }),
            &json!({
                "Effect": "Allow",
                "Action": ["codedeploy:CreateDeployment", "codedeploy:GetDeployment"],
                "Resource": { "Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${DeployApplication}/${Deploy}" }
            }),
            &json!({
                "Effect": "Allow",
                "Action": "codedeploy:GetDeploymentConfig",
                "Resource": { "Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentconfig:${DeployDeploymentConfig}" }
            }),
        ]
    );
    assert_eq!(
        props(&t, "FleetInstanceRoleDefaultPolicy")["PolicyDocument"]["Statement"][1],
        json!({
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjectVersion"],
            "Resource": { "Fn::Sub": "${PipelineArtifactsBucket.Arn}/*" }
        })
    );
}

#[test]
fn a_given_application_and_a_named_configuration_are_used_as_given() {
    use stackwright_constructs::codedeploy::ServerApplication;
    let app = app_with(4, |s, fleet, _| {
        let application = ServerApplication::named(s, "App", "myapp");
        let group = ServerDeploymentGroup::new(
            s,
            "Deploy",
            ServerDeploymentGroupProps::new()
                .application(application)
                .auto_scaling_group(fleet)
                .deployment_group_name("myapp-production")
                .deployment_config(ServerDeploymentConfig::Named("Shared.TwoAtATime".into())),
        );
        assert!(group.deployment_config_arn().is_none());
        let revision = Artifact::new("Revision");
        let pipeline = Pipeline::new(s, "Pipeline", PipelineProps::new());
        pipeline.add_stage(
            s,
            "Source",
            [S3Source::new("Source", "bucket", "revision.zip", &revision)],
        );
        pipeline.add_stage(s, "Deploy", [CodeDeployServerDeploy::new("Deploy", &group, &revision)]);
    });
    let t = template(&app, "S");
    assert!(t["Resources"]["DeployApplication"].is_null());
    assert_eq!(
        props(&t, "App"),
        &json!({ "ApplicationName": "myapp", "ComputePlatform": "Server" })
    );
    let g = props(&t, "Deploy");
    assert_eq!(g["ApplicationName"], json!({ "Ref": "App" }));
    assert_eq!(g["DeploymentGroupName"], json!("myapp-production"));
    assert_eq!(g["DeploymentConfigName"], json!("Shared.TwoAtATime"));
    // A configuration known only by name: the action may read any of the account's.
    let statements = &props(&t, "PipelineRoleDefaultPolicy")["PolicyDocument"]["Statement"];
    let config = statements
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["Action"] == json!("codedeploy:GetDeploymentConfig"));
    assert_eq!(
        config.map(|s| s["Resource"].clone()),
        Some(
            json!({ "Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentconfig:*" })
        )
    );
}

#[test]
fn an_encrypted_artifact_store_lets_the_instances_decrypt_only() {
    const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let app = app_with(4, |s, fleet, _| {
        let group = ServerDeploymentGroup::new(
            s,
            "Deploy",
            ServerDeploymentGroupProps::new().auto_scaling_group(fleet),
        );
        let revision = Artifact::new("Revision");
        let pipeline = Pipeline::new(
            s,
            "Pipeline",
            PipelineProps::new().artifact_bucket_kms("artifacts", KEY),
        );
        pipeline.add_stage(
            s,
            "Source",
            [S3Source::new("Source", "bucket", "revision.zip", &revision)],
        );
        pipeline.add_stage(s, "Deploy", [CodeDeployServerDeploy::new("Deploy", &group, &revision)]);
    });
    let t = template(&app, "S");
    let statements = &props(&t, "FleetInstanceRoleDefaultPolicy")["PolicyDocument"]["Statement"];
    assert_eq!(
        statements,
        &json!([
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": { "Fn::Sub": "arn:${AWS::Partition}:s3:::aws-codedeploy-${AWS::Region}/*" }
            },
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                "Resource": { "Fn::Sub": "arn:${AWS::Partition}:s3:::artifacts/*" }
            },
            { "Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": KEY }
        ])
    );
}

#[test]
fn constructs_remember_the_line_of_the_program_that_created_them() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2));
    let props = AutoScalingGroupProps::new(&vpc, "t3.micro");
    let fleet_line = line!() + 1;
    let fleet = AutoScalingGroup::new(&mut s, "Fleet", props);
    let app_line = line!() + 1;
    let application = stackwright_constructs::codedeploy::ServerApplication::new(&mut s, "App");
    let group_line = line!() + 1;
    let group = ServerDeploymentGroup::new(
        &mut s,
        "Deploy",
        ServerDeploymentGroupProps::new().auto_scaling_group(&fleet).application(application),
    );
    for (node, line) in [
        (fleet.node().id(), fleet_line),
        (application.node().id(), app_line),
        (group.node().id(), group_line),
    ] {
        let location = s.app().construct(node).map(|n| n.location()).unwrap_or_else(|| panic!());
        assert_eq!((location.file(), location.line()), (file!(), line), "{node:?}");
    }
}
