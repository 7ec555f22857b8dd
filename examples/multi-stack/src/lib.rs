//! Two stacks and a reference between them: the messaging stack owns the orders queue and
//! the notifications topic; the workers stack owns the role that uses them. The references
//! become an export in `Messaging` and `Fn::ImportValue` in `Workers`, and the manifest
//! orders `Messaging` first.

use stackwright::iam::{Principal, Role, RoleProps};
use stackwright::prelude::*;
use stackwright::sns::{Topic, TopicProps};
use stackwright::sqs::{Queue, QueueProps};

/// Builds the app.
pub fn app() -> App {
    let mut app = App::new();
    app.add_rule_pack(stackwright::rules::PACK);

    let (orders, notifications) = {
        let mut messaging = app.stack("Messaging");
        messaging.set_description("Orders queue and notifications topic");
        let dlq = Queue::new(
            &mut messaging,
            "OrdersDLQ",
            QueueProps::new().retention_period(Duration::days(14)),
        );
        let orders = Queue::new(
            &mut messaging,
            "OrdersQueue",
            QueueProps::new().visibility_timeout(Duration::seconds(300)).dead_letter_queue(&dlq, 3),
        );
        let notifications = Topic::new(&mut messaging, "Notifications", TopicProps::new());
        (orders, notifications)
    };

    let mut workers = app.stack("Workers");
    workers.set_description("Worker role that consumes orders and publishes notifications");
    let role = Role::new(
        &mut workers,
        "WorkerRole",
        RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")),
    );
    orders.grant_consume(&mut workers, &role);
    notifications.grant_publish(&mut workers, &role);
    workers.add_output(
        "WorkerRoleArn",
        Output::new(role.arn()).description("Role the worker tasks run as"),
    );
    app
}
