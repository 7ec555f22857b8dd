//! Notifications: pipeline events published to an SNS topic through a CodeStar
//! Notifications rule (the article's "connect pipeline events to SNS").

/// A pipeline event a notification rule can publish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PipelineEvent {
    /// An execution started.
    ExecutionStarted,
    /// An execution succeeded.
    ExecutionSucceeded,
    /// An execution failed.
    ExecutionFailed,
    /// An execution was canceled.
    ExecutionCanceled,
    /// A failed execution was resumed.
    ExecutionResumed,
    /// A newer execution superseded this one.
    ExecutionSuperseded,
    /// A manual approval is waiting for someone.
    ManualApprovalNeeded,
    /// A manual approval was approved.
    ManualApprovalSucceeded,
    /// A manual approval was rejected.
    ManualApprovalFailed,
    /// An action started.
    ActionStarted,
    /// An action succeeded.
    ActionSucceeded,
    /// An action failed.
    ActionFailed,
    /// An action was canceled.
    ActionCanceled,
    /// A stage started.
    StageStarted,
    /// A stage succeeded.
    StageSucceeded,
    /// A stage failed.
    StageFailed,
    /// A stage was canceled.
    StageCanceled,
    /// A stage was resumed.
    StageResumed,
}

impl PipelineEvent {
    /// The event type ID, such as `codepipeline-pipeline-pipeline-execution-failed`.
    pub fn id(self) -> &'static str {
        use PipelineEvent::*;
        match self {
            ExecutionStarted => "codepipeline-pipeline-pipeline-execution-started",
            ExecutionSucceeded => "codepipeline-pipeline-pipeline-execution-succeeded",
            ExecutionFailed => "codepipeline-pipeline-pipeline-execution-failed",
            ExecutionCanceled => "codepipeline-pipeline-pipeline-execution-canceled",
            ExecutionResumed => "codepipeline-pipeline-pipeline-execution-resumed",
            ExecutionSuperseded => "codepipeline-pipeline-pipeline-execution-superseded",
            ManualApprovalNeeded => "codepipeline-pipeline-manual-approval-needed",
            ManualApprovalSucceeded => "codepipeline-pipeline-manual-approval-succeeded",
            ManualApprovalFailed => "codepipeline-pipeline-manual-approval-failed",
            ActionStarted => "codepipeline-pipeline-action-execution-started",
            ActionSucceeded => "codepipeline-pipeline-action-execution-succeeded",
            ActionFailed => "codepipeline-pipeline-action-execution-failed",
            ActionCanceled => "codepipeline-pipeline-action-execution-canceled",
            StageStarted => "codepipeline-pipeline-stage-execution-started",
            StageSucceeded => "codepipeline-pipeline-stage-execution-succeeded",
            StageFailed => "codepipeline-pipeline-stage-execution-failed",
            StageCanceled => "codepipeline-pipeline-stage-execution-canceled",
            StageResumed => "codepipeline-pipeline-stage-execution-resumed",
        }
    }
}
