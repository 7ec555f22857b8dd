//! The `Alarm` construct: one metric compared with a threshold.

use stackwright_aws::cloudwatch as l1;
use stackwright_core::{ConstructRef, Handle, Scope, Val};

use crate::Duration;
use crate::Stateless;
use crate::iam::{PolicyStatement, Principal};
use crate::sns::Topic;

/// A metric: a namespace, a name and the dimensions that pick one time series.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    namespace: String,
    name: String,
    dimensions: Vec<(String, Val<String>)>,
}

impl Metric {
    /// The metric `name` in `namespace` (`AWS/Lambda`, `Errors`).
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Metric {
        Metric { namespace: namespace.into(), name: name.into(), dimensions: Vec::new() }
    }

    /// Adds a dimension (`FunctionName` = the function's name).
    pub fn dimension(mut self, name: impl Into<String>, value: impl Into<Val<String>>) -> Self {
        self.dimensions.push((name.into(), value.into()));
        self
    }
}

/// How the data points of one period are combined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Statistic {
    /// `Average`.
    Average,
    /// `Sum`.
    Sum,
    /// `Minimum`.
    Minimum,
    /// `Maximum`.
    Maximum,
    /// `SampleCount`.
    SampleCount,
}

impl Statistic {
    fn as_str(self) -> &'static str {
        match self {
            Statistic::Average => "Average",
            Statistic::Sum => "Sum",
            Statistic::Minimum => "Minimum",
            Statistic::Maximum => "Maximum",
            Statistic::SampleCount => "SampleCount",
        }
    }
}

/// How the statistic is compared with the threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ComparisonOperator {
    /// `GreaterThanOrEqualToThreshold`.
    GreaterThanOrEqualToThreshold,
    /// `GreaterThanThreshold`.
    GreaterThanThreshold,
    /// `LessThanThreshold`.
    LessThanThreshold,
    /// `LessThanOrEqualToThreshold`.
    LessThanOrEqualToThreshold,
}

impl ComparisonOperator {
    fn as_str(self) -> &'static str {
        match self {
            ComparisonOperator::GreaterThanOrEqualToThreshold => "GreaterThanOrEqualToThreshold",
            ComparisonOperator::GreaterThanThreshold => "GreaterThanThreshold",
            ComparisonOperator::LessThanThreshold => "LessThanThreshold",
            ComparisonOperator::LessThanOrEqualToThreshold => "LessThanOrEqualToThreshold",
        }
    }
}

/// What a period without data counts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TreatMissingData {
    /// `breaching`: as a breach.
    Breaching,
    /// `notBreaching`: as within the threshold (right for error counts: no calls, no errors).
    NotBreaching,
    /// `ignore`: the alarm keeps its state.
    Ignore,
    /// `missing`: CloudWatch's default; the alarm may go to `INSUFFICIENT_DATA`.
    Missing,
}

impl TreatMissingData {
    fn as_str(self) -> &'static str {
        match self {
            TreatMissingData::Breaching => "breaching",
            TreatMissingData::NotBreaching => "notBreaching",
            TreatMissingData::Ignore => "ignore",
            TreatMissingData::Missing => "missing",
        }
    }
}

/// How to build an [`Alarm`].
#[derive(Clone, Debug, PartialEq)]
pub struct AlarmProps {
    metric: Metric,
    statistic: Statistic,
    period: Duration,
    evaluation_periods: u32,
    threshold: f64,
    comparison: ComparisonOperator,
    treat_missing_data: Option<TreatMissingData>,
    alarm_name: Option<Val<String>>,
    description: Option<String>,
    alarm_actions: Vec<Topic>,
    ok_actions: Vec<Topic>,
    insufficient_data_actions: Vec<Topic>,
}

impl AlarmProps {
    /// Alarms when the metric's statistic compares to `threshold` as `comparison` says.
    /// Defaults: `Average` over 5 minutes, one evaluation period.
    pub fn new(metric: Metric, comparison: ComparisonOperator, threshold: f64) -> AlarmProps {
        AlarmProps {
            metric,
            statistic: Statistic::Average,
            period: Duration::minutes(5),
            evaluation_periods: 1,
            threshold,
            comparison,
            treat_missing_data: None,
            alarm_name: None,
            description: None,
            alarm_actions: Vec::new(),
            ok_actions: Vec::new(),
            insufficient_data_actions: Vec::new(),
        }
    }

    /// Notifies `topic` when the alarm goes into `ALARM`. The topic's resource policy lets
    /// CloudWatch publish, for this alarm only: a topic with a resource policy (every topic
    /// that refuses plain HTTP has one) would otherwise refuse the notification.
    pub fn alarm_action(mut self, topic: &Topic) -> Self {
        self.alarm_actions.push(*topic);
        self
    }

    /// Notifies `topic` when the alarm goes back to `OK` (see [`alarm_action`](Self::alarm_action)).
    pub fn ok_action(mut self, topic: &Topic) -> Self {
        self.ok_actions.push(*topic);
        self
    }

    /// Notifies `topic` when the alarm has too little data to decide (see
    /// [`alarm_action`](Self::alarm_action)).
    pub fn insufficient_data_action(mut self, topic: &Topic) -> Self {
        self.insufficient_data_actions.push(*topic);
        self
    }

    /// Any error of the Lambda function `function_name` within a minute: `AWS/Lambda`
    /// `Errors`, `Sum >= 1` over 60 seconds, no data counting as no errors.
    pub fn lambda_errors(function_name: impl Into<Val<String>>) -> AlarmProps {
        AlarmProps::new(
            Metric::new("AWS/Lambda", "Errors").dimension("FunctionName", function_name),
            ComparisonOperator::GreaterThanOrEqualToThreshold,
            1.0,
        )
        .statistic(Statistic::Sum)
        .period(Duration::seconds(60))
        .treat_missing_data(TreatMissingData::NotBreaching)
    }

    /// Sets the statistic (default `Average`).
    pub fn statistic(mut self, statistic: Statistic) -> Self {
        self.statistic = statistic;
        self
    }

    /// Sets the period: 10 or 30 seconds (high-resolution metrics) or a multiple of 60
    /// seconds (default 5 minutes).
    pub fn period(mut self, period: Duration) -> Self {
        self.period = period;
        self
    }

    /// Sets how many periods are compared (default 1).
    pub fn evaluation_periods(mut self, n: u32) -> Self {
        self.evaluation_periods = n;
        self
    }

    /// Sets what a period without data counts as (CloudWatch's default is `missing`).
    pub fn treat_missing_data(mut self, treat: TreatMissingData) -> Self {
        self.treat_missing_data = Some(treat);
        self
    }

    /// Fixes the alarm name (otherwise CloudFormation generates one).
    pub fn alarm_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.alarm_name = Some(name.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }
}

/// A CloudWatch metric alarm (`AWS::CloudWatch::Alarm`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Alarm {
    node: ConstructRef<Stateless>,
    resource: l1::AlarmRef,
}

impl Alarm {
    /// Creates the alarm as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: AlarmProps) -> Alarm {
        let (node, mut inner) = scope.construct(id, Stateless::new("Alarm"));
        let s = props.period.as_seconds();
        let period_ok = s == 10 || s == 30 || (s > 0 && s.is_multiple_of(60));
        if !period_ok {
            inner.error(
                "cloudwatch.period",
                format!("the alarm period is {}", props.period),
                "CloudWatch accepts 10 seconds, 30 seconds or a multiple of 60 seconds",
            );
        }
        if props.evaluation_periods == 0 {
            inner.error(
                "cloudwatch.evaluation-periods",
                "evaluation_periods is 0",
                "an alarm compares at least 1 period",
            );
        }
        let mut a = l1::Alarm::new();
        a.alarm_name = props.alarm_name;
        a.alarm_description = props.description.map(Val::from);
        a.namespace = Some(props.metric.namespace.into());
        a.metric_name = Some(props.metric.name.into());
        a.dimensions = props
            .metric
            .dimensions
            .into_iter()
            .map(|(name, value)| {
                l1::alarm::Dimension::new(l1::alarm::DimensionRequired { name, value })
            })
            .collect();
        a.statistic = Some(props.statistic.as_str().into());
        // A bad period is reported above in the user's terms and kept out of the L1, so its
        // own range check does not report it again.
        a.period = period_ok.then(|| props.period.as_int().into());
        a.evaluation_periods =
            (props.evaluation_periods > 0).then(|| i64::from(props.evaluation_periods).into());
        a.threshold = Some(props.threshold.into());
        a.comparison_operator = Some(props.comparison.as_str().into());
        a.treat_missing_data = props.treat_missing_data.map(|t| t.as_str().into());
        let arns = |topics: &[Topic]| {
            (!topics.is_empty()).then(|| {
                Val::<Vec<String>>::from(topics.iter().map(Topic::arn).collect::<Vec<_>>())
            })
        };
        a.alarm_actions = arns(&props.alarm_actions);
        a.ok_actions = arns(&props.ok_actions);
        a.insufficient_data_actions = arns(&props.insufficient_data_actions);
        let alarm = Alarm { node, resource: inner.add("Resource", a) };
        let mut topics: Vec<Topic> = Vec::new();
        for topic in props
            .alarm_actions
            .iter()
            .chain(&props.ok_actions)
            .chain(&props.insufficient_data_actions)
        {
            if !topics.contains(topic) {
                topics.push(*topic);
            }
        }
        for topic in topics {
            let allow = PolicyStatement::allow()
                .principal(Principal::service("cloudwatch.amazonaws.com"))
                .action("sns:Publish")
                .resource(topic.arn())
                .condition("ArnEquals", "aws:SourceArn", alarm.arn().into_json());
            topic.add_to_resource_policy(&mut inner, allow);
            let encrypted = inner
                .app()
                .get::<stackwright_aws::sns::Topic>(topic.resource())
                .is_some_and(|t| t.kms_master_key_id.is_some());
            if encrypted {
                inner.warn(
                    "the topic it notifies is encrypted with a KMS key: CloudWatch can publish \
                     only if the key's policy lets cloudwatch.amazonaws.com use it \
                     (kms:Decrypt, kms:GenerateDataKey*); the AWS managed key alias/aws/sns \
                     does not",
                );
            }
        }
        alarm
    }

    /// An alarm on any error of the Lambda function `function_name` within a minute
    /// ([`AlarmProps::lambda_errors`]).
    #[track_caller]
    pub fn lambda_errors(
        scope: &mut Scope<'_>,
        id: &str,
        function_name: impl Into<Val<String>>,
    ) -> Alarm {
        Alarm::new(scope, id, AlarmProps::lambda_errors(function_name))
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<Stateless> {
        self.node
    }

    /// The L1 handle, for escape hatches.
    pub fn resource(&self) -> l1::AlarmRef {
        self.resource
    }

    /// The alarm ARN.
    pub fn arn(&self) -> Val<String> {
        self.resource.arn()
    }

    /// The alarm name (`Ref`), as CodeDeploy's alarm configuration names it.
    pub fn alarm_name(&self) -> Val<String> {
        self.resource.reference()
    }
}
