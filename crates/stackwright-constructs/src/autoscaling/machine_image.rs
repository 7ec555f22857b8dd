//! Where an Auto Scaling group's AMI comes from.

use stackwright_core::kind;
use stackwright_core::{AwsParameterType, Parameter, ParameterType, Scope, Val};

/// The public SSM parameter that names the latest Amazon Linux 2023 AMI for x86-64.
const AL2023_X86_64: &str = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64";

/// The AMI the instances start from.
#[derive(Clone, Debug, PartialEq)]
pub enum MachineImage {
    /// The AMI an SSM parameter names (such as the public
    /// `/aws/service/ami-amazon-linux-latest/...` ones), read by CloudFormation at each
    /// deployment through a template parameter of type
    /// `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>` whose default is the path, as the
    /// AWS CDK does. A newer AMI reaches the instances at the next stack update.
    SsmParameter(String),
    /// A fixed AMI ID (`ami-…`) or a value of the template.
    Id(Val<kind::ImageId>),
}

impl MachineImage {
    /// The latest Amazon Linux 2023 AMI for x86-64 (the default).
    pub fn latest_amazon_linux_2023() -> MachineImage {
        MachineImage::SsmParameter(AL2023_X86_64.to_owned())
    }

    /// The AMI named by the SSM parameter `path`.
    pub fn ssm_parameter(path: impl Into<String>) -> MachineImage {
        MachineImage::SsmParameter(path.into())
    }

    /// A fixed AMI ID or a value of the template.
    pub fn id(image_id: impl Into<Val<kind::ImageId>>) -> MachineImage {
        MachineImage::Id(image_id.into())
    }

    /// The `ImageId` of the launch template: for an SSM path, a `Ref` of the stack parameter
    /// `parameter_name`, added here.
    pub(crate) fn image_id(
        &self,
        scope: &mut Scope<'_>,
        parameter_name: &str,
    ) -> Val<kind::ImageId> {
        match self {
            MachineImage::Id(id) => id.clone(),
            MachineImage::SsmParameter(path) => {
                if !path.starts_with('/') || path.len() < 2 {
                    scope.error(
                        "autoscaling.image-parameter",
                        format!("the AMI's SSM parameter `{path}` is not a parameter path"),
                        "name it from its leading `/`, such as \
                         /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64",
                    );
                }
                let parameter = Parameter::new(ParameterType::SsmAws(AwsParameterType::ImageId))
                    .default_value(path.as_str())
                    .description("The AMI of the Auto Scaling group's instances, from SSM");
                scope.add_parameter(parameter_name, parameter).into()
            }
        }
    }
}

impl Default for MachineImage {
    fn default() -> Self {
        MachineImage::latest_amazon_linux_2023()
    }
}
