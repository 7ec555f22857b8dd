//! CodeDeploy applications, one per compute platform.

use stackwright_aws::codedeploy as l1;
use stackwright_core::{ConstructRef, Handle, Scope, Val};

use super::group::Application;
use crate::Stateless;

#[track_caller]
fn application(
    scope: &mut Scope<'_>,
    id: &str,
    platform: l1::application::ApplicationComputePlatform,
    name: Option<Val<String>>,
) -> (ConstructRef<Stateless>, l1::ApplicationRef) {
    let (node, mut inner) = scope.construct(id, Stateless::new("Application"));
    let mut a = l1::Application::new().compute_platform(platform);
    a.application_name = name;
    (node, inner.add("Resource", a))
}

/// A CodeDeploy application for ECS services (`ComputePlatform: ECS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EcsApplication {
    node: ConstructRef<Stateless>,
    resource: l1::ApplicationRef,
}

impl EcsApplication {
    /// Creates the application as the construct `id` in `scope`, named by CloudFormation.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str) -> EcsApplication {
        let platform = l1::application::ApplicationComputePlatform::Ecs;
        let (node, resource) = application(scope, id, platform, None);
        EcsApplication { node, resource }
    }

    /// Creates the application with a fixed name.
    #[track_caller]
    pub fn named(scope: &mut Scope<'_>, id: &str, name: impl Into<Val<String>>) -> EcsApplication {
        let platform = l1::application::ApplicationComputePlatform::Ecs;
        let (node, resource) = application(scope, id, platform, Some(name.into()));
        EcsApplication { node, resource }
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<Stateless> {
        self.node
    }

    /// The L1 handle.
    pub fn resource(&self) -> l1::ApplicationRef {
        self.resource
    }

    /// The application name (`Ref`).
    pub fn application_name(&self) -> Val<String> {
        self.resource.reference()
    }
}

/// A CodeDeploy application for Lambda functions (`ComputePlatform: Lambda`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LambdaApplication {
    node: ConstructRef<Stateless>,
    resource: l1::ApplicationRef,
}

impl LambdaApplication {
    /// Creates the application as the construct `id` in `scope`, named by CloudFormation.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str) -> LambdaApplication {
        let platform = l1::application::ApplicationComputePlatform::Lambda;
        let (node, resource) = application(scope, id, platform, None);
        LambdaApplication { node, resource }
    }

    /// Creates the application with a fixed name.
    #[track_caller]
    pub fn named(
        scope: &mut Scope<'_>,
        id: &str,
        name: impl Into<Val<String>>,
    ) -> LambdaApplication {
        let platform = l1::application::ApplicationComputePlatform::Lambda;
        let (node, resource) = application(scope, id, platform, Some(name.into()));
        LambdaApplication { node, resource }
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<Stateless> {
        self.node
    }

    /// The L1 handle.
    pub fn resource(&self) -> l1::ApplicationRef {
        self.resource
    }

    /// The application name (`Ref`).
    pub fn application_name(&self) -> Val<String> {
        self.resource.reference()
    }
}

/// A CodeDeploy application for EC2 and on-premises instances (`ComputePlatform: Server`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ServerApplication {
    node: ConstructRef<Stateless>,
    resource: l1::ApplicationRef,
}

impl ServerApplication {
    /// Creates the application as the construct `id` in `scope`, named by CloudFormation.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str) -> ServerApplication {
        let platform = l1::application::ApplicationComputePlatform::Server;
        let (node, resource) = application(scope, id, platform, None);
        ServerApplication { node, resource }
    }

    /// Creates the application with a fixed name.
    #[track_caller]
    pub fn named(
        scope: &mut Scope<'_>,
        id: &str,
        name: impl Into<Val<String>>,
    ) -> ServerApplication {
        let platform = l1::application::ApplicationComputePlatform::Server;
        let (node, resource) = application(scope, id, platform, Some(name.into()));
        ServerApplication { node, resource }
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<Stateless> {
        self.node
    }

    /// The L1 handle.
    pub fn resource(&self) -> l1::ApplicationRef {
        self.resource
    }

    /// The application name (`Ref`).
    pub fn application_name(&self) -> Val<String> {
        self.resource.reference()
    }
}

impl Application for ServerApplication {
    fn create(scope: &mut Scope<'_>, id: &str) -> Self {
        ServerApplication::new(scope, id)
    }
    fn name(&self) -> Val<String> {
        self.application_name()
    }
}

impl Application for EcsApplication {
    fn create(scope: &mut Scope<'_>, id: &str) -> Self {
        EcsApplication::new(scope, id)
    }
    fn name(&self) -> Val<String> {
        self.application_name()
    }
}

impl Application for LambdaApplication {
    fn create(scope: &mut Scope<'_>, id: &str) -> Self {
        LambdaApplication::new(scope, id)
    }
    fn name(&self) -> Val<String> {
        self.application_name()
    }
}
