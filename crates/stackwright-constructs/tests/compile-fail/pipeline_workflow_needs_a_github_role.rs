//! A pipeline's workflow assumes a role GitHub's tokens may assume: the pipeline's own role,
//! which trusts CodePipeline, is not one.

use stackwright_constructs::codepipeline::{Pipeline, PipelineProps};
use stackwright_constructs::github::{PipelineWorkflow, PipelineWorkflowProps};
use stackwright_core::App;

fn main() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let pipeline = Pipeline::new(&mut s, "Pipeline", PipelineProps::new());
    let role = pipeline.role();
    let props = PipelineWorkflowProps::new("delivery", "Delivery", "us-east-1");
    let _ = PipelineWorkflow::new(&mut s, "Workflow", &pipeline, &role, props);
}
