//! The Lambda invoke action: runs a function as a pipeline step.

use stackwright_core::{Expr, Val};

use super::super::action::{Action, ActionType, Common, Need, artifact_methods, common_methods};
use super::super::artifact::Artifact;
use super::regional_arn;
use crate::iam::PolicyStatement;
use crate::lambda::Function;

/// Invokes a Lambda function (`Invoke/AWS/Lambda`) with up to five input and five output
/// artifacts. The pipeline role may invoke that function only.
///
/// The function must report back with `codepipeline:PutJobSuccessResult` or
/// `codepipeline:PutJobFailureResult` (which take no resource: `*`): a [`Function`] of this
/// app is granted those; a function outside it needs them, or the action waits until it
/// times out.
#[derive(Clone, Debug, PartialEq)]
pub struct LambdaInvoke {
    common: Common,
    function: Val<String>,
    construct: Option<Function>,
    user_parameters: Option<Val<String>>,
    inputs: Vec<Artifact>,
    outputs: Vec<Artifact>,
}

common_methods!(LambdaInvoke);

impl LambdaInvoke {
    /// Invokes `function`, a function of this app, which may then report the job's result.
    pub fn new(name: impl Into<String>, function: &Function) -> LambdaInvoke {
        LambdaInvoke {
            construct: Some(*function),
            ..LambdaInvoke::from_name(name, function.function_name())
        }
    }

    /// Invokes the function named `function` (a name, or an ARN) outside this app.
    pub fn from_name(name: impl Into<String>, function: impl Into<Val<String>>) -> LambdaInvoke {
        LambdaInvoke {
            common: Common::new(name),
            function: function.into(),
            construct: None,
            user_parameters: None,
            inputs: Vec::new(),
            outputs: Vec::new(),
        }
    }

    /// A string passed to the function in the job (`UserParameters`).
    pub fn user_parameters(mut self, text: impl Into<Val<String>>) -> Self {
        self.user_parameters = Some(text.into());
        self
    }

    artifact_methods!();

    fn build(self) -> Action {
        let mut a = Action::new(
            self.common,
            ActionType::new("Invoke", "AWS", "Lambda", "Lambda", (0, 5), (0, 5)),
        );
        let arn = match self.function.expr() {
            Expr::Str(s) if s.starts_with("arn:") => self.function.clone(),
            _ => {
                regional_arn("lambda", stackwright_core::sub!("function:{}", self.function.clone()))
            }
        };
        a.config("FunctionName", self.function);
        a.config_opt("UserParameters", self.user_parameters);
        a.allow(PolicyStatement::allow().action("lambda:InvokeFunction").resource(arn));
        if let Some(function) = self.construct {
            a.needs.push(Need::ReportJobResult(function));
        }
        a.inputs = self.inputs;
        a.outputs = self.outputs;
        a
    }
}
