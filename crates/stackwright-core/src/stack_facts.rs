//! What a deployment of one stack of the app needs to know about it: where its template is
//! written, which parameters it takes, which outputs it gives, which capabilities
//! CloudFormation must be told of, and which other stacks it depends on.
//!
//! Render steps read these (a pipeline action that deploys a stack of the same app), so a
//! deployment is derived from the stack itself instead of being restated in strings.

use std::collections::BTreeSet;

use crate::app::App;
use crate::env::Environment;
use crate::expr::{Expr, RefTarget};
use crate::ids::StackId;

/// One parameter of a stack, as a deployment sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParameterFact {
    /// The parameter's name in the template.
    pub name: String,
    /// Whether a deployment must give a value: the parameter has no default.
    pub required: bool,
}

/// What CloudFormation must be told before it creates what a template holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// The template creates IAM resources (`CAPABILITY_IAM`).
    pub iam: bool,
    /// Some of them have names given in the template (`CAPABILITY_NAMED_IAM`).
    pub named_iam: bool,
    /// The template uses a transform (`CAPABILITY_AUTO_EXPAND`).
    pub auto_expand: bool,
}

/// A stack of the app, as a deployment of it needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct StackFacts {
    /// The stack's id.
    pub id: StackId,
    /// The stack name.
    pub name: String,
    /// The account and region it deploys to.
    pub environment: Environment,
    /// Its template's path in the source repository (`stacks/Network.template.json`), in
    /// the format and output folder of the synth under way.
    pub template_in_source: String,
    /// Its parameters, in template order.
    pub parameters: Vec<ParameterFact>,
    /// The names of its outputs, in template order.
    pub outputs: Vec<String>,
    /// The capabilities its template needs.
    pub capabilities: Capabilities,
}

/// The properties that give an IAM resource a name of the template's choosing.
const IAM_NAME_PROPERTIES: &[&str] =
    &["RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"];

impl App {
    /// What a deployment of stack `id` needs to know, or `None` for a stack of another app.
    pub fn stack_facts(&self, id: StackId) -> Option<StackFacts> {
        let stack = self.stack_by_id(id)?;
        let file = format!("{}.template.{}", stack.name, self.format().extension());
        let parameters = stack
            .parameters
            .iter()
            .map(|(name, p)| ParameterFact { name: name.clone(), required: p.default.is_none() })
            .collect();
        let mut capabilities =
            Capabilities { auto_expand: !stack.transforms.is_empty(), ..Capabilities::default() };
        for node in &stack.resources {
            let kind = node.body.resource_type();
            if kind.starts_with("AWS::IAM::") {
                capabilities.iam = true;
                let properties = node.body.properties().into_expr();
                if IAM_NAME_PROPERTIES.iter().any(|p| properties.get(p).is_some()) {
                    capabilities.named_iam = true;
                }
            } else if kind.starts_with("AWS::Serverless::") {
                // SAM creates the roles of its functions when it expands them.
                capabilities.iam = true;
                capabilities.auto_expand = true;
            }
        }
        Some(StackFacts {
            id,
            name: stack.name.clone(),
            environment: stack.env.clone(),
            template_in_source: self.source_path_of(&file),
            parameters,
            outputs: stack.outputs.iter().map(|(name, _)| name.clone()).collect(),
            capabilities,
        })
    }

    /// Which stacks each stack depends on, directly or through others: by a reference to a
    /// resource of the other stack (an export and import at synth) or by an explicit
    /// dependency. Read by render steps that run last
    /// ([`ConstructState::renders_last`](crate::ConstructState::renders_last)), when every
    /// other construct has rendered.
    pub fn stack_dependencies(&self) -> StackDependencies {
        let n = self.stacks().len();
        let mut direct: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        for (i, stack) in self.stacks().iter().enumerate() {
            let mut note = |target: StackId| {
                if let Some(t) = self.index_of(target)
                    && t != i
                {
                    direct[i].insert(t);
                }
            };
            let mut visit = |e: &Expr| match e {
                Expr::Ref(RefTarget::Resource(id)) | Expr::GetAtt(RefTarget::Resource(id), _) => {
                    note(id.stack());
                }
                _ => {}
            };
            for node in &stack.resources {
                node.body.properties().into_expr().walk(&mut visit);
            }
            for (_, output) in &stack.outputs {
                output.value.walk(&mut visit);
            }
            for dep in &stack.depends_on_stacks {
                note(*dep);
            }
        }
        // The transitive closure, small enough to compute by repeated passes.
        let mut closure = direct;
        loop {
            let mut grew = false;
            for i in 0..n {
                let reach: Vec<usize> =
                    closure[i].iter().flat_map(|&d| closure[d].iter().copied()).collect();
                for r in reach {
                    if r != i && closure[i].insert(r) {
                        grew = true;
                    }
                }
            }
            if !grew {
                break;
            }
        }
        StackDependencies { ids: self.stacks().iter().map(|s| s.id).collect(), closure }
    }
}

/// The stacks each stack depends on, directly or not. See [`App::stack_dependencies`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackDependencies {
    ids: Vec<StackId>,
    closure: Vec<BTreeSet<usize>>,
}

impl StackDependencies {
    /// Whether stack `a` depends on stack `b`, directly or through other stacks.
    pub fn depends_on(&self, a: StackId, b: StackId) -> bool {
        match (self.index(a), self.index(b)) {
            (Some(a), Some(b)) => self.closure[a].contains(&b),
            _ => false,
        }
    }

    fn index(&self, id: StackId) -> Option<usize> {
        self.ids.iter().position(|&s| s == id)
    }
}

impl App {
    /// The stack and the name of a parameter, or `None` for a parameter of another app.
    pub fn parameter_name(&self, id: crate::ids::ParameterId) -> Option<(StackId, &str)> {
        let stack = self.stack_by_id(id.stack())?;
        let (name, _) = stack.parameters.get(id.index as usize)?;
        Some((stack.id, name.as_str()))
    }
}
