//! The app: every stack of one program, and the entry point of synthesis.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::construct::{Child, ConstructId, ConstructNode, ConstructRef, ConstructState};
use crate::error::Diagnostics;
use crate::ids::{ResourceId, StackId};
use crate::path::ConstructPath;
use crate::resource::{Handle, Resource};
use crate::scope::Scope;
use crate::security::{RulePack, RuleSettings, SecurityRule};
use crate::stack::{ResourceNode, Stack};
use crate::synth::{self, Assembly, Format};

/// Gives each app a distinct number so a handle used with the wrong app is caught. It carries
/// no state between apps: two apps in one process never see each other's stacks.
static NEXT_APP: AtomicU32 = AtomicU32::new(1);

/// A program's stacks. Build it, then synthesize it (the facade's `App::run` does both and
/// writes the files).
#[derive(Clone)]
pub struct App {
    id: u32,
    stacks: Vec<Stack>,
    output_dir_in_source: std::rc::Rc<str>,
    format: Format,
    rules: RuleSettings,
}

/// Where the output folder sits in the source repository when nothing else is said: `stacks`,
/// the CLI's default output folder, at the repository root.
pub const DEFAULT_OUTPUT_DIR_IN_SOURCE: &str = "stacks";

impl Default for App {
    fn default() -> Self {
        App::new()
    }
}

impl App {
    /// An app with no stacks.
    pub fn new() -> App {
        App {
            id: NEXT_APP.fetch_add(1, Ordering::Relaxed),
            stacks: Vec::new(),
            output_dir_in_source: DEFAULT_OUTPUT_DIR_IN_SOURCE.into(),
            format: Format::Json,
            rules: RuleSettings::default(),
        }
    }

    /// Checks every resource with the rules of `pack` at synth; each finding not suppressed
    /// is a warning naming the rule, the construct path and where the program created the
    /// construct (an error with [`strict_rules`](App::strict_rules)). Adding a pack twice
    /// changes nothing.
    pub fn add_rule_pack(&mut self, pack: RulePack) -> &mut Self {
        if !self.rules.packs.iter().any(|p| std::ptr::eq(*p, pack)) {
            self.rules.packs.push(pack);
        }
        self
    }

    /// Removes every rule pack: synthesis then checks no rule (suppressions are still
    /// written into the templates).
    pub fn clear_rule_packs(&mut self) -> &mut Self {
        self.rules.packs.clear();
        self
    }

    /// Whether findings of the rule packs fail synthesis (default `false`: they are
    /// warnings).
    pub fn strict_rules(&mut self, on: bool) -> &mut Self {
        self.rules.strict = on;
        self
    }

    /// Whether any rule pack is registered.
    pub fn has_rule_packs(&self) -> bool {
        !self.rules.packs.is_empty()
    }

    /// The rules of every registered pack, in order.
    pub fn rules(&self) -> Vec<&'static SecurityRule> {
        self.rules.rules().collect()
    }

    pub(crate) fn rule_settings(&self) -> &RuleSettings {
        &self.rules
    }

    /// The scope of the stack with this name, created on first use. Constructs added through
    /// the scope land in that stack.
    pub fn stack(&mut self, name: impl Into<String>) -> Scope<'_> {
        let name = name.into();
        let index = match self.stacks.iter().position(|s| s.name == name) {
            Some(i) => i,
            None => {
                let id = StackId { app: self.id, index: self.stacks.len() as u32 };
                self.stacks.push(Stack::new(id, name));
                self.stacks.len() - 1
            }
        };
        Scope::new(self, index, ConstructPath::root(), None)
    }

    /// The scope of a construct, for adding children to it after it was created (a role's
    /// default policy on its first grant). Children added through it are recorded in the
    /// construct's slots. `None` for a construct of another app.
    pub fn scope_of(&mut self, construct: ConstructId) -> Option<Scope<'_>> {
        let index = self.index_of(construct.stack)?;
        let path = self.stacks[index].construct(construct)?.path.clone();
        Some(Scope::new(self, index, path, Some(construct)))
    }

    /// The construct node with this id, if it belongs to this app.
    pub fn construct(&self, id: ConstructId) -> Option<&ConstructNode> {
        self.stack_by_id(id.stack)?.construct(id)
    }

    /// The resource in slot `slot` of a construct, as a typed handle: how a construct's
    /// children are found (a role's `DefaultPolicy`), never by guessing a path.
    pub fn child_resource<H: Handle>(&self, construct: ConstructId, slot: &str) -> Option<H> {
        match self.construct(construct)?.child(slot)? {
            Child::Resource(id) => Some(H::from_id(id)),
            Child::Construct(_) => None,
        }
    }

    /// A construct's state, if the handle belongs to this app.
    pub fn state<S: ConstructState>(&self, construct: ConstructRef<S>) -> Option<&S> {
        self.construct(construct.id())?.state_as::<S>()
    }

    /// A construct's state, mutably: how a construct records what it must render at synth.
    pub fn state_mut<S: ConstructState>(&mut self, construct: ConstructRef<S>) -> Option<&mut S> {
        let id = construct.id();
        self.stack_by_id_mut(id.stack)?.construct_mut(id)?.state_as_mut::<S>()
    }

    /// Gives an existing resource a construct node with `state`, so it can be used where the
    /// construct is expected (an L1 role given grants). The resource becomes the node's
    /// `Resource` slot; its other children go beside it. A resource that already is the main
    /// resource of a construct with this kind of state gets that construct back, so adopting
    /// twice changes nothing. `None` for a resource of another app.
    pub fn adopt<S: ConstructState>(
        &mut self,
        resource: ResourceId,
        state: impl FnOnce() -> S,
    ) -> Option<ConstructRef<S>> {
        let index = self.index_of(resource.stack)?;
        let stack = &self.stacks[index];
        let node = stack.node(resource)?;
        let path = node.path.clone();
        // The main resource of a construct stands for that construct.
        let owner = node.owner.and_then(|o| stack.construct(o).map(|c| (o, c)));
        let main_of = owner.filter(|(_, c)| c.child("Resource") == Some(Child::Resource(resource)));
        if let Some((o, c)) = main_of
            && c.state_as::<S>().is_some()
        {
            return Some(ConstructRef::new(o));
        }
        // A construct of another kind keeps its path: this node goes at the resource's own
        // path, as it does for any resource that is no construct's `Resource`. A `Resource`
        // added outside any construct stands for its parent path.
        let at = match (path.id(), path.parent(), main_of) {
            (Some("Resource"), Some(parent), None) => parent,
            _ => path,
        };
        if let Some(existing) = stack.find_construct(&at).and_then(|c| stack.construct(c)) {
            let main = existing.child("Resource") == Some(Child::Resource(resource));
            if main && existing.state_as::<S>().is_some() {
                return stack.find_construct(&at).map(ConstructRef::new);
            }
        }
        let mut scope = Scope::new(self, index, at.parent().unwrap_or_default(), None);
        Some(ConstructRef::new(scope.adopted_construct(at, Box::new(state()), resource)))
    }

    /// The stacks, in the order they were created.
    pub fn stacks(&self) -> &[Stack] {
        &self.stacks
    }

    /// The stack with this id, if it belongs to this app.
    pub fn stack_by_id(&self, id: StackId) -> Option<&Stack> {
        self.index_of(id).map(|i| &self.stacks[i])
    }

    /// The stack with this id, mutably, if it belongs to this app.
    pub fn stack_by_id_mut(&mut self, id: StackId) -> Option<&mut Stack> {
        self.index_of(id).map(|i| &mut self.stacks[i])
    }

    /// The resource struct behind a handle, if the handle belongs to this app and the type
    /// matches.
    pub fn get<R: Resource>(&self, handle: impl Handle) -> Option<&R> {
        let node = self.node(handle.id())?;
        let body: &dyn std::any::Any = node.body.as_ref();
        body.downcast_ref::<R>()
    }

    /// The resource struct behind a handle, mutably. This is how a construct changes a resource
    /// after creating it (a grant adding a statement to a policy).
    pub fn get_mut<R: Resource>(&mut self, handle: impl Handle) -> Option<&mut R> {
        let node = self.node_mut(handle.id())?;
        let body: &mut dyn std::any::Any = node.body_mut()?;
        body.downcast_mut::<R>()
    }

    /// The template-level settings of a resource (DependsOn, Condition, policies, overrides,
    /// logical ID), if the id belongs to this app.
    pub fn node(&self, id: ResourceId) -> Option<&ResourceNode> {
        self.stack_by_id(id.stack)?.node(id)
    }

    /// The template-level settings of a resource, mutably.
    pub fn node_mut(&mut self, id: ResourceId) -> Option<&mut ResourceNode> {
        self.stack_by_id_mut(id.stack)?.node_mut(id)
    }

    /// Synthesizes every stack in memory: the templates in `format`, the manifest, and the
    /// warnings. Nothing is written; on any error, every error is returned.
    /// Companion files are referenced at `stacks/<path>` in the source
    /// ([`DEFAULT_OUTPUT_DIR_IN_SOURCE`]); [`synth_for_source`](Self::synth_for_source) says
    /// otherwise.
    pub fn synth(&self, format: Format) -> Result<Assembly, Diagnostics> {
        self.synth_for_source(format, DEFAULT_OUTPUT_DIR_IN_SOURCE)
    }

    /// Synthesizes as [`synth`](Self::synth) for an output folder at `output_dir_in_source`
    /// (such as `infra/stacks`: `/`-separated, relative to the repository root). Templates
    /// that point at a companion file in the source (a CodeBuild project's buildspec, a
    /// build that copies `taskdef.json` into its artifact) name it there, so it is found
    /// where it was written, with no copying.
    pub fn synth_for_source(
        &self,
        format: Format,
        output_dir_in_source: &str,
    ) -> Result<Assembly, Diagnostics> {
        let inside = !output_dir_in_source.starts_with('/')
            && !output_dir_in_source.contains('\\')
            && !output_dir_in_source.split('/').any(|part| part == "..");
        if !inside {
            let given = output_dir_in_source.to_owned();
            let errors = vec![crate::error::SynthError::InvalidOutputLocation { given }];
            return Err(Diagnostics { errors, warnings: Vec::new() });
        }
        // Constructs render into a copy, so the app is the same after synth as before and
        // every synth sees the program's state, not the previous synth's.
        let mut rendered = self.clone();
        rendered.output_dir_in_source = output_dir_in_source.into();
        rendered.format = format;
        rendered.render_constructs();
        synth::synthesize(&rendered, format)
    }

    /// Where the output folder sits in the source repository during synth, `/`-separated and
    /// relative to its root (`stacks` unless the synth said otherwise). Render steps use it
    /// to point at companion files.
    pub fn output_dir_in_source(&self) -> &str {
        &self.output_dir_in_source
    }

    /// The format templates are written in during synth (JSON unless the synth said
    /// otherwise). Render steps use it to name template files.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The path of companion file `path` in the source repository.
    pub fn source_path_of(&self, path: &str) -> String {
        match self.output_dir_in_source.trim_end_matches('/') {
            "" | "." => path.to_owned(),
            dir => format!("{dir}/{path}"),
        }
    }

    /// Runs every construct's render step, in the order the constructs were created; a
    /// construct created by a render step is rendered too. Render steps that
    /// [render last](ConstructState::renders_last) run once every other one has, so they see
    /// the whole app rendered.
    pub(crate) fn render_constructs(&mut self) {
        let mut done = vec![0usize; self.stacks.len()];
        let mut last: Vec<ConstructId> = Vec::new();
        self.render_pending(&mut done, Some(&mut last));
        for id in last {
            self.render_one(id);
        }
        // What the last ones created renders now, last or not.
        self.render_pending(&mut done, None);
    }

    /// Renders every construct not rendered yet; those that render last are put in `last`
    /// instead, when it is given.
    fn render_pending(&mut self, done: &mut Vec<usize>, mut last: Option<&mut Vec<ConstructId>>) {
        loop {
            let mut progressed = false;
            for s in 0..self.stacks.len() {
                while done.len() <= s {
                    done.push(0);
                }
                while done[s] < self.stacks[s].constructs.len() {
                    let id = ConstructId { stack: self.stacks[s].id, index: done[s] as u32 };
                    done[s] += 1;
                    progressed = true;
                    let deferred =
                        self.stacks[s].constructs[id.index as usize].state.renders_last();
                    match last.as_deref_mut() {
                        Some(last) if deferred => last.push(id),
                        _ => self.render_one(id),
                    }
                }
            }
            if !progressed {
                break;
            }
        }
    }

    fn render_one(&mut self, id: ConstructId) {
        let Some(s) = self.index_of(id.stack) else { return };
        let node = &self.stacks[s].constructs[id.index as usize];
        let (state, path) = (node.state.clone_state(), node.path.clone());
        let mut scope = Scope::new(self, s, path, Some(id));
        state.render(&mut scope);
    }

    pub(crate) fn index_of(&self, id: StackId) -> Option<usize> {
        (id.app == self.id && (id.index as usize) < self.stacks.len()).then_some(id.index as usize)
    }

    pub(crate) fn stacks_mut(&mut self) -> &mut Vec<Stack> {
        &mut self.stacks
    }
}
