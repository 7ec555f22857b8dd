//! The flagship example: the messaging and access pieces of a CI/CD estate.
//!
//! - the orders queue (visibility 300 s, retention 14 days) with its dead-letter queue after
//!   three receives;
//! - the approval topic that notifies approvers by email (the address is a parameter);
//! - a worker role for the ECS tasks that consume the queue and publish notifications,
//!   with least-privilege grants;
//! - the deploy role of the production account, trusting the tooling account's CodeBuild
//!   role, allowed to roll the production service.

use stackwright::iam::{PolicyStatement, Principal, Role, RoleProps};
use stackwright::prelude::*;
use stackwright::sns::{Subscriber, Topic, TopicProps};
use stackwright::sqs::{Queue, QueueProps};

/// The tooling account's CodeBuild role, which assumes the deploy role.
pub const TOOLING_BUILD_ROLE: &str = "arn:aws:iam::111111111111:role/CodeBuildRole";

/// Builds the app.
pub fn app() -> App {
    let mut app = App::new();
    let mut stack = app.stack("OrdersPlatform");
    stack.set_description(
        "Orders queue and dead-letter queue, approval topic, worker and deploy roles",
    );

    let approver = stack.add_parameter(
        "ApproverEmail",
        Parameter::string()
            .description("Email address that receives deployment approval requests")
            .allowed_pattern(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
            .constraint_description("must be an email address"),
    );

    let dlq = Queue::new(&mut stack, "DeadLetterQueue", QueueProps::new().queue_name("orders-dlq"));
    let orders = Queue::new(
        &mut stack,
        "OrdersQueue",
        QueueProps::new()
            .queue_name("orders-queue")
            .visibility_timeout(Duration::seconds(300))
            .retention_period(Duration::days(14))
            .dead_letter_queue(dlq, 3),
    );

    let approvals = Topic::new(
        &mut stack,
        "ApprovalTopic",
        TopicProps::new().display_name("Deployment approvals"),
    );
    approvals.add_subscription(&mut stack, "Approver", Subscriber::email(approver));

    let worker = Role::new(
        &mut stack,
        "WorkerRole",
        RoleProps::new(Principal::service("ecs-tasks.amazonaws.com"))
            .description("Orders worker tasks: consume orders, publish notifications"),
    );
    orders.grant_consume(&mut stack, &worker);
    approvals.grant_publish(&mut stack, &worker);

    let deploy = Role::new(
        &mut stack,
        "DeployRole",
        RoleProps::new(Principal::arn(TOOLING_BUILD_ROLE)).role_name("DeployRole").description(
            "Assumed by the tooling account's CodeBuild role to roll the production service",
        ),
    );
    let service = sub!(
        "arn:{}:ecs:{}:{}:service/prod/myapp",
        pseudo::partition(),
        pseudo::region(),
        pseudo::account_id()
    );
    deploy.add_to_policy(
        &mut stack,
        PolicyStatement::allow()
            .actions(["ecs:UpdateService", "ecs:DescribeServices"])
            .resource(service),
    );

    stack.add_output(
        "OrdersQueueUrl",
        Output::new(orders.url()).description("Where producers send orders"),
    );
    stack.add_output(
        "ApprovalTopicArn",
        Output::new(approvals.arn()).description("Pipeline approval notifications"),
    );
    stack.add_output(
        "DeployRoleArn",
        Output::new(deploy.arn()).description("Role the tooling account assumes to deploy"),
    );
    app
}
