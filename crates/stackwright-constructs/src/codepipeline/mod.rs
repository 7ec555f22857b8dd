//! CodePipeline: pipelines of stages and actions, with typed artifacts, a collapsed
//! least-privilege role, a secure artifact store, triggers and notifications, checked at
//! synth the way CodePipeline checks them at deploy time.
//!
//! The article's pipeline reads:
//!
//! ```
//! # use stackwright_constructs::codebuild::{Project, ProjectProps, Source};
//! # use stackwright_constructs::sns::{Topic, TopicProps};
//! # use stackwright_core::{App, Parameter};
//! use stackwright_constructs::codepipeline::*;
//! # let mut app = App::new();
//! # let mut s = app.stack("Cicd");
//! # let token = s.add_parameter("GitHubToken", Parameter::string().no_echo());
//! # let project = Project::new(&mut s, "Project", ProjectProps::new(Source::CodePipeline));
//! # let topic = Topic::new(&mut s, "Approvals", TopicProps::new());
//! let (source, image) = (Artifact::new("SourceOutput"), Artifact::new("BuildOutput"));
//! let pipeline = Pipeline::new(&mut s, "MyPipeline", PipelineProps::new().pipeline_name("myapp-pipeline"));
//! pipeline.add_stage(&mut s, "Source", [
//!     GitHubSource::new("GitHubSource", "my-org", "my-app", token.value(), &source).branch("main"),
//! ]);
//! pipeline.add_stage(&mut s, "Build", [CodeBuildAction::new("DockerBuild", &project, &source).output(&image)]);
//! pipeline.add_stage(&mut s, "ApproveStaging", [ManualApproval::new("ManualApproval").notify(&topic)]);
//! pipeline.add_stage(&mut s, "DeployProduction", [EcsDeploy::from_names("DeployECS", "prod", "myapp", &image)]);
//! pipeline.notify_on(&mut s, &topic, [PipelineEvent::ExecutionFailed, PipelineEvent::ExecutionSucceeded]);
//! ```

pub(crate) mod action;
pub(crate) mod actions;
pub(crate) mod app_stacks;
mod artifact;
mod bucket;
pub(crate) mod model;
mod notify;
mod pipeline;
mod trigger;
mod validate;

pub use action::{Action, IntoActions};
pub use actions::{
    Capability, CloudFormationAction, CodeBuildAction, CodeCommitSource, CodeDeployEcsDeploy,
    CodeDeployServerDeploy, CodeStarConnectionSource, EcrSource, EcsDeploy, GitHubSource,
    LambdaInvoke, ManualApproval, S3Source, StackDeploy,
};
pub use artifact::{Artifact, ArtifactPath};
pub use model::PipelineState;
pub use notify::PipelineEvent;
pub use pipeline::{
    ExecutionMode, Pipeline, PipelineProps, PipelineType, RegionalStore, Stage, Variable,
};
pub use trigger::{EventTrigger, GitTrigger, PullRequestEvent, PullRequestFilter, PushFilter};
