//! The `Parameters` section.

use crate::expr::{Expr, RefTarget, Val};
use crate::ids::ParameterId;

/// The AWS-specific parameter types, which CloudFormation checks against the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AwsParameterType {
    /// `AWS::EC2::AvailabilityZone::Name`.
    AvailabilityZoneName,
    /// `AWS::EC2::Image::Id`.
    ImageId,
    /// `AWS::EC2::Instance::Id`.
    InstanceId,
    /// `AWS::EC2::KeyPair::KeyName`.
    KeyPairName,
    /// `AWS::EC2::SecurityGroup::GroupName`.
    SecurityGroupName,
    /// `AWS::EC2::SecurityGroup::Id`.
    SecurityGroupId,
    /// `AWS::EC2::Subnet::Id`.
    SubnetId,
    /// `AWS::EC2::Volume::Id`.
    VolumeId,
    /// `AWS::EC2::VPC::Id`.
    VpcId,
    /// `AWS::Route53::HostedZone::Id`.
    HostedZoneId,
}

impl AwsParameterType {
    /// The type name CloudFormation uses.
    pub fn name(self) -> &'static str {
        match self {
            AwsParameterType::AvailabilityZoneName => "AWS::EC2::AvailabilityZone::Name",
            AwsParameterType::ImageId => "AWS::EC2::Image::Id",
            AwsParameterType::InstanceId => "AWS::EC2::Instance::Id",
            AwsParameterType::KeyPairName => "AWS::EC2::KeyPair::KeyName",
            AwsParameterType::SecurityGroupName => "AWS::EC2::SecurityGroup::GroupName",
            AwsParameterType::SecurityGroupId => "AWS::EC2::SecurityGroup::Id",
            AwsParameterType::SubnetId => "AWS::EC2::Subnet::Id",
            AwsParameterType::VolumeId => "AWS::EC2::Volume::Id",
            AwsParameterType::VpcId => "AWS::EC2::VPC::Id",
            AwsParameterType::HostedZoneId => "AWS::Route53::HostedZone::Id",
        }
    }
}

/// The type of a template parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParameterType {
    /// `String`.
    String,
    /// `Number`.
    Number,
    /// `List<Number>`.
    NumberList,
    /// `CommaDelimitedList`.
    CommaDelimitedList,
    /// An AWS-specific type, such as `AWS::EC2::VPC::Id`.
    Aws(AwsParameterType),
    /// A list of an AWS-specific type, such as `List<AWS::EC2::Subnet::Id>`.
    AwsList(AwsParameterType),
    /// `AWS::SSM::Parameter::Name`: the name of a Systems Manager parameter.
    SsmParameterName,
    /// `AWS::SSM::Parameter::Value<String>`: resolved from Systems Manager at deploy time.
    SsmString,
    /// `AWS::SSM::Parameter::Value<List<String>>`.
    SsmStringList,
    /// `AWS::SSM::Parameter::Value<CommaDelimitedList>`.
    SsmCommaDelimitedList,
    /// `AWS::SSM::Parameter::Value<` an AWS-specific type `>`.
    SsmAws(AwsParameterType),
    /// `AWS::SSM::Parameter::Value<List<` an AWS-specific type `>>`.
    SsmAwsList(AwsParameterType),
}

impl ParameterType {
    /// The type name as written in a template.
    pub fn name(self) -> String {
        match self {
            ParameterType::String => "String".into(),
            ParameterType::Number => "Number".into(),
            ParameterType::NumberList => "List<Number>".into(),
            ParameterType::CommaDelimitedList => "CommaDelimitedList".into(),
            ParameterType::Aws(t) => t.name().into(),
            ParameterType::AwsList(t) => format!("List<{}>", t.name()),
            ParameterType::SsmParameterName => "AWS::SSM::Parameter::Name".into(),
            ParameterType::SsmString => "AWS::SSM::Parameter::Value<String>".into(),
            ParameterType::SsmStringList => "AWS::SSM::Parameter::Value<List<String>>".into(),
            ParameterType::SsmCommaDelimitedList => {
                "AWS::SSM::Parameter::Value<CommaDelimitedList>".into()
            }
            ParameterType::SsmAws(t) => format!("AWS::SSM::Parameter::Value<{}>", t.name()),
            ParameterType::SsmAwsList(t) => {
                format!("AWS::SSM::Parameter::Value<List<{}>>", t.name())
            }
        }
    }

    /// Whether `Ref` of such a parameter gives a list.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            ParameterType::NumberList
                | ParameterType::CommaDelimitedList
                | ParameterType::AwsList(_)
                | ParameterType::SsmStringList
                | ParameterType::SsmCommaDelimitedList
                | ParameterType::SsmAwsList(_)
        )
    }

    /// Whether length and pattern constraints apply (string-typed parameters only).
    pub(crate) fn is_string_like(self) -> bool {
        matches!(self, ParameterType::String | ParameterType::SsmParameterName)
    }
}

/// A template parameter: a value supplied when the stack is created or updated.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    pub(crate) kind: ParameterType,
    pub(crate) description: Option<String>,
    pub(crate) default: Option<Expr>,
    pub(crate) allowed_values: Vec<Expr>,
    pub(crate) allowed_pattern: Option<String>,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) min_value: Option<f64>,
    pub(crate) max_value: Option<f64>,
    pub(crate) no_echo: bool,
    pub(crate) constraint_description: Option<String>,
}

impl Parameter {
    /// A parameter of the given type with no constraints.
    pub fn new(kind: ParameterType) -> Parameter {
        Parameter {
            kind,
            description: None,
            default: None,
            allowed_values: Vec::new(),
            allowed_pattern: None,
            min_length: None,
            max_length: None,
            min_value: None,
            max_value: None,
            no_echo: false,
            constraint_description: None,
        }
    }

    /// A `String` parameter.
    pub fn string() -> Parameter {
        Parameter::new(ParameterType::String)
    }

    /// A `Number` parameter.
    pub fn number() -> Parameter {
        Parameter::new(ParameterType::Number)
    }

    /// The parameter's type.
    pub fn kind(&self) -> ParameterType {
        self.kind
    }

    /// Sets the description shown in the console.
    pub fn description(mut self, text: impl Into<String>) -> Parameter {
        self.description = Some(text.into());
        self
    }

    /// Sets a string default.
    pub fn default_value(mut self, value: impl Into<String>) -> Parameter {
        self.default = Some(Expr::Str(value.into()));
        self
    }

    /// Sets a numeric default.
    pub fn default_number(mut self, value: f64) -> Parameter {
        self.default = Some(number_expr(value));
        self
    }

    /// Restricts the value to one of these.
    pub fn allowed_values<S: Into<String>>(
        mut self,
        values: impl IntoIterator<Item = S>,
    ) -> Parameter {
        self.allowed_values = values.into_iter().map(|v| Expr::Str(v.into())).collect();
        self
    }

    /// Restricts a string value to a regular expression (Java syntax, checked by AWS).
    pub fn allowed_pattern(mut self, pattern: impl Into<String>) -> Parameter {
        self.allowed_pattern = Some(pattern.into());
        self
    }

    /// Sets the minimum length of a string value.
    pub fn min_length(mut self, n: u64) -> Parameter {
        self.min_length = Some(n);
        self
    }

    /// Sets the maximum length of a string value.
    pub fn max_length(mut self, n: u64) -> Parameter {
        self.max_length = Some(n);
        self
    }

    /// Sets the minimum of a numeric value.
    pub fn min_value(mut self, n: f64) -> Parameter {
        self.min_value = Some(n);
        self
    }

    /// Sets the maximum of a numeric value.
    pub fn max_value(mut self, n: f64) -> Parameter {
        self.max_value = Some(n);
        self
    }

    /// Masks the value in the console and API output (for secrets passed as parameters).
    pub fn no_echo(mut self) -> Parameter {
        self.no_echo = true;
        self
    }

    /// Sets the message shown when a constraint is violated.
    pub fn constraint_description(mut self, text: impl Into<String>) -> Parameter {
        self.constraint_description = Some(text.into());
        self
    }
}

/// Integral numbers print without a fractional part, as a template author would write them.
pub(crate) fn number_expr(n: f64) -> Expr {
    if n.fract() == 0.0 && n.abs() < 9.0e15 { Expr::Int(n as i64) } else { Expr::Float(n) }
}

/// A parameter declared with [`Stack::add_parameter`](crate::Stack::add_parameter).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParameterRef {
    pub(crate) id: ParameterId,
}

impl ParameterRef {
    /// The parameter's id.
    pub fn id(self) -> ParameterId {
        self.id
    }

    /// `Ref` of the parameter as a string.
    pub fn value(self) -> Val<String> {
        Val::from_expr(Expr::Ref(RefTarget::Parameter(self.id)))
    }

    /// `Ref` of the parameter as a number.
    pub fn number(self) -> Val<i64> {
        Val::from_expr(Expr::Ref(RefTarget::Parameter(self.id)))
    }

    /// `Ref` of a list-typed parameter.
    pub fn values(self) -> Val<Vec<String>> {
        Val::from_expr(Expr::Ref(RefTarget::Parameter(self.id)))
    }
}

impl From<ParameterRef> for Val<String> {
    fn from(p: ParameterRef) -> Val<String> {
        p.value()
    }
}
