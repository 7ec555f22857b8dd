//! `AWS::SNS::Topic`.

use stackwright_core::{
    Expr, Handle, PropertyProblem, Props, Resource, ResourceId, ResourceType, Val, get_att,
};

use crate::Tag;
use crate::constraint::{str_chars, str_len};

/// `AWS::SNS::Topic`: a publish/subscribe topic. No property is required.
///
/// Reference: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-topic.html>
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Topic {
    /// `ContentBasedDeduplication` (FIFO only).
    pub content_based_deduplication: Option<Val<bool>>,
    /// `DisplayName`: up to 100 characters; the SMS sender name.
    pub display_name: Option<Val<String>>,
    /// `FifoTopic`. Update: replacement.
    pub fifo_topic: Option<Val<bool>>,
    /// `KmsMasterKeyId`: a KMS key ID, ARN or alias for server-side encryption.
    pub kms_master_key_id: Option<Val<String>>,
    /// `Tags`.
    pub tags: Vec<Tag>,
    /// `TopicName`: up to 256 characters; FIFO names end in `.fifo`. Update: replacement.
    pub topic_name: Option<Val<String>>,
}

impl Topic {
    /// A topic with CloudFormation's defaults.
    pub fn new() -> Topic {
        Topic::default()
    }

    setters! {
        /// Sets `ContentBasedDeduplication`.
        content_based_deduplication: bool;
        /// Sets `DisplayName`.
        display_name: String;
        /// Sets `FifoTopic`.
        fifo_topic: bool;
        /// Sets `KmsMasterKeyId`.
        kms_master_key_id: String;
        /// Sets `TopicName`.
        topic_name: String;
    }

    /// Adds a tag.
    pub fn tag(mut self, tag: Tag) -> Self {
        self.tags.push(tag);
        self
    }
}

impl Resource for Topic {
    fn resource_type(&self) -> &str {
        "AWS::SNS::Topic"
    }

    fn properties(&self) -> Props {
        let mut p = Props::new();
        p.set_opt("TopicName", &self.topic_name)
            .set_opt("DisplayName", &self.display_name)
            .set_opt("FifoTopic", &self.fifo_topic)
            .set_opt(
                "ContentBasedDeduplication",
                &self.content_based_deduplication,
            )
            .set_opt("KmsMasterKeyId", &self.kms_master_key_id);
        if let Some(tags) = Tag::list(&self.tags) {
            p.set_expr("Tags", tags);
        }
        p
    }

    fn validate(&self, out: &mut Vec<PropertyProblem>) {
        str_len(out, "DisplayName", &self.display_name, 0, 100);
        str_len(out, "TopicName", &self.topic_name, 1, 256);
        let name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
        str_chars(
            out,
            "TopicName",
            &self.topic_name,
            name_char,
            "letters, digits, `-`, `_` (and `.fifo` at the end)",
        );
        let fifo = matches!(
            self.fifo_topic.as_ref().map(Val::expr),
            Some(Expr::Bool(true))
        );
        if let Some(Expr::Str(name)) = self.topic_name.as_ref().map(Val::expr) {
            if fifo != name.ends_with(".fifo") {
                out.push(PropertyProblem::new(
                    "TopicName",
                    if fifo {
                        format!("`{name}` names a FIFO topic, so it must end in `.fifo`")
                    } else {
                        format!(
                            "`{name}` ends in `.fifo`, which only FIFO topics may; set FifoTopic"
                        )
                    },
                ));
            }
        }
    }
}

impl ResourceType for Topic {
    type Handle = TopicRef;
}

/// Handle to an `AWS::SNS::Topic`. `Ref` returns the topic ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TopicRef {
    id: ResourceId,
}

impl Handle for TopicRef {
    fn from_id(id: ResourceId) -> Self {
        TopicRef { id }
    }
    fn id(&self) -> ResourceId {
        self.id
    }
}

impl TopicRef {
    /// `Ref`: the topic ARN.
    pub fn topic_arn(&self) -> Val<String> {
        self.reference()
    }
    /// `Fn::GetAtt TopicName`.
    pub fn topic_name(&self) -> Val<String> {
        get_att(self.id, "TopicName")
    }
}
