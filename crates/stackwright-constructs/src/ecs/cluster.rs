//! The `Cluster` construct.

use crate::Stateless;
use stackwright_aws::ecs::cluster as l1;
use stackwright_core::{ConstructRef, Handle, Scope, Val};

/// CloudWatch Container Insights for a cluster (the `containerInsights` setting).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ContainerInsights {
    /// Cluster, service and task metrics (`enabled`). The default.
    #[default]
    Enabled,
    /// Container-level metrics too (`enhanced`), at a higher CloudWatch cost.
    Enhanced,
    /// No Container Insights metrics (`disabled`).
    Disabled,
}

impl ContainerInsights {
    fn value(self) -> &'static str {
        match self {
            ContainerInsights::Enabled => "enabled",
            ContainerInsights::Enhanced => "enhanced",
            ContainerInsights::Disabled => "disabled",
        }
    }
}

/// How to build a [`Cluster`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClusterProps {
    cluster_name: Option<Val<String>>,
    container_insights: ContainerInsights,
}

impl ClusterProps {
    /// Defaults: a generated name and Container Insights enabled.
    pub fn new() -> ClusterProps {
        ClusterProps::default()
    }

    /// Fixes the cluster name (changing it replaces the cluster).
    pub fn cluster_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.cluster_name = Some(name.into());
        self
    }

    /// Sets Container Insights (default [`ContainerInsights::Enabled`]).
    pub fn container_insights(mut self, setting: ContainerInsights) -> Self {
        self.container_insights = setting;
        self
    }
}

/// An ECS cluster for Fargate services.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cluster {
    node: ConstructRef<Stateless>,
    resource: l1::ClusterRef,
}

impl Cluster {
    /// Creates the cluster as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: ClusterProps) -> Cluster {
        let (node, mut inner) = scope.construct(id, Stateless::new("Cluster"));
        let mut c = l1::Cluster::new();
        c.cluster_name = props.cluster_name;
        c.cluster_settings = vec![
            l1::ClusterSettings::new()
                .name("containerInsights")
                .value(props.container_insights.value()),
        ];
        Cluster { node, resource: inner.add("Resource", c) }
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<Stateless> {
        self.node
    }

    /// The L1 handle, for escape hatches.
    pub fn resource(&self) -> l1::ClusterRef {
        self.resource
    }

    /// The cluster name (`Ref`), as services and pipeline ECS actions name it.
    pub fn cluster_name(&self) -> Val<String> {
        self.resource.reference()
    }

    /// The cluster ARN.
    pub fn arn(&self) -> Val<String> {
        self.resource.arn()
    }
}
