//! The manual approval action: a human clicks approve (or reject) before the pipeline goes on.

use stackwright_core::Val;

use super::super::action::{Action, ActionType, Common, Need, common_methods};
use crate::sns::Topic;

/// Waits for someone to approve (`Approval/AWS/Manual`): the gate the article puts before
/// production. Takes and produces no artifacts.
///
/// With [`notify`](ManualApproval::notify), CodePipeline publishes the request to the topic
/// and the pipeline role may publish to it.
#[derive(Clone, Debug, PartialEq)]
pub struct ManualApproval {
    common: Common,
    topic: Option<Topic>,
    message: Option<Val<String>>,
    review_url: Option<Val<String>>,
}

common_methods!(ManualApproval);

impl ManualApproval {
    /// An approval gate called `name`.
    pub fn new(name: impl Into<String>) -> ManualApproval {
        ManualApproval { common: Common::new(name), topic: None, message: None, review_url: None }
    }

    /// Publishes the approval request to this topic (`NotificationArn`).
    pub fn notify(mut self, topic: &Topic) -> Self {
        self.topic = Some(*topic);
        self
    }

    /// A message for the approver (`CustomData`).
    pub fn message(mut self, text: impl Into<Val<String>>) -> Self {
        self.message = Some(text.into());
        self
    }

    /// A link to what to review, such as the staging site (`ExternalEntityLink`).
    pub fn review_url(mut self, url: impl Into<Val<String>>) -> Self {
        self.review_url = Some(url.into());
        self
    }

    fn build(self) -> Action {
        let mut a = Action::new(
            self.common,
            ActionType::new("Approval", "AWS", "Manual", "manual approval", (0, 0), (0, 0)),
        );
        if let Some(topic) = self.topic {
            a.config("NotificationArn", topic.arn());
            a.needs.push(Need::Publish(topic));
        }
        a.config_opt("CustomData", self.message);
        a.config_opt("ExternalEntityLink", self.review_url);
        a
    }
}
