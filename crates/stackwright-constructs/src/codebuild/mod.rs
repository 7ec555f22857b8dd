//! CodeBuild: a typed [`BuildSpec`] and the [`Project`] construct that runs it.
//!
//! ```
//! use stackwright_constructs::codebuild::{
//!     BuildSpec, BuildSpecLocation, ComputeType, LinuxBuildImage, Phase, Project, ProjectProps,
//!     Source,
//! };
//! use stackwright_core::App;
//!
//! let mut app = App::new();
//! let mut stack = app.stack("Ci");
//! let spec = BuildSpec::new().build(Phase::with_commands(["cargo test"]));
//! let project = Project::new(
//!     &mut stack,
//!     "Tests",
//!     ProjectProps::new(Source::CodePipeline)
//!         .buildspec(BuildSpecLocation::Inline(spec))
//!         .build_image(LinuxBuildImage::AMAZON_LINUX_2_5)
//!         .compute_type(ComputeType::Medium),
//! );
//! let _handle: stackwright_aws::codebuild::ProjectRef = project.into();
//! ```

pub mod buildspec;
mod cache;
mod environment;
pub(crate) mod output_files;
mod project;
mod source;

pub use buildspec::{Artifacts, BuildSpec, OnFailure, Phase, Report, ReportFormat, Shell};
pub use cache::{Cache, LocalCacheMode};
pub use environment::{ComputeType, EnvironmentVariable, EnvironmentVariableType, LinuxBuildImage};
pub(crate) use project::RETENTION_DAYS;
pub use project::{Project, ProjectProps, ProjectState, VpcSettings};
pub use source::{BuildSpecLocation, Source};
